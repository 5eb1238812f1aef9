"""The JSON API's request and response schemas (XCreate / XUpdate / XPublic).

They are kept apart from the core's records: the core's records are the domain
objects, these are what travels over HTTP, and small functions beside each
schema map one to the other."""
