"""Apply a change to a CRM record: upsert it and diff its tracked fields."""
