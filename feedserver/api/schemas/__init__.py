"""marshmallow schemas for what the API takes in and gives out."""
