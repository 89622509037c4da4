"""The learner's web pages and the offline API docs, served by the API app."""
