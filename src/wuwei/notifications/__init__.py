"""In-app notifications (and email when configured): the win-rate change events of §4.6 first."""
