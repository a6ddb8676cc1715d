"""HTTP requests → Story → packet responses: the JSON API, the form, saved answers and the API docs page."""
