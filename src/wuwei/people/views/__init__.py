"""People pages (the Connections area, 本): contacts, relationship and decision maps,
activities, enterprise connections."""
