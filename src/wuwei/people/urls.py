from django.urls import path

from wuwei.people.views import activities, connections, contacts, maps

app_name = "people"
urlpatterns = [
    # contacts
    path("contacts/", contacts.contact_list, name="list"),
    path("contacts/new/", contacts.contact_create, name="create"),
    path("contacts/new/accounts/<int:account_id>/", contacts.contact_drawer, name="contact_drawer"),
    path("contacts/<int:contact_id>/", contacts.contact_detail, name="detail"),
    path("contacts/<int:contact_id>/edit/", contacts.contact_edit, name="edit"),
    path("contacts/<int:contact_id>/archive/", contacts.contact_archive, name="archive"),
    path("contacts/<int:contact_id>/restore/", contacts.contact_restore, name="restore"),
    path(
        "contacts/<int:contact_id>/competitors/",
        contacts.competitor_status_set,
        name="competitor_set",
    ),
    path(
        "contacts/<int:contact_id>/competitors/<int:competitor_id>/remove/",
        contacts.competitor_status_remove,
        name="competitor_remove",
    ),
    path("contacts/<int:contact_id>/influences/", contacts.influence_add, name="influence_add"),
    path(
        "contacts/<int:contact_id>/influences/<int:target_id>/remove/",
        contacts.influence_remove,
        name="influence_remove",
    ),
    path("contacts/<int:contact_id>/connect/", contacts.contact_connect, name="connect"),
    # relationship and decision maps
    path("connections/accounts/<int:account_id>/map/", maps.relationship_map_page, name="map"),
    path("connections/contacts/<int:contact_id>/persona/", maps.persona_edit, name="persona"),
    path(
        "connections/deals/<int:opportunity_id>/decision-map/",
        maps.decision_map_page,
        name="decision_map",
    ),
    path(
        "connections/deals/<int:opportunity_id>/decision-map/participants/<int:participant_id>/",
        maps.participant_edit,
        name="participant_edit",
    ),
    path(
        "connections/deals/<int:opportunity_id>/decision-map/participants/"
        "<int:participant_id>/remove/",
        maps.participant_remove,
        name="participant_remove",
    ),
    path(
        "connections/deals/<int:opportunity_id>/decision-map/influences/",
        maps.decision_influence_add,
        name="decision_influence_add",
    ),
    path(
        "connections/deals/<int:opportunity_id>/decision-map/influences/<int:influence_id>/remove/",
        maps.decision_influence_remove,
        name="decision_influence_remove",
    ),
    # activities
    path("connections/activities/", activities.activity_list, name="activities"),
    path("connections/activities/new/", activities.activity_create, name="activity_create"),
    path(
        "connections/deals/<int:opportunity_id>/activities/",
        activities.deal_activity,
        name="deal_activity",
    ),
    path(
        "connections/activities/<int:activity_id>/archive/",
        activities.activity_archive,
        name="activity_archive",
    ),
    # enterprise connections
    path("connections/", connections.connection_list, name="connections"),
    path(
        "connections/<int:connection_id>/remove/",
        connections.connection_remove,
        name="connection_remove",
    ),
]
