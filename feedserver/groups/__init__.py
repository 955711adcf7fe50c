"""Groups: public or private, with roles, join requests and archiving."""
