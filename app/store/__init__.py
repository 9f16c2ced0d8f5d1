"""The store: SQL over the tables, for the routes. Never sees a Request: every function takes
a connection (or an engine) and plain values or query models (`app.params`)."""
