"""Who is calling: session login for people, hashed bearer tokens for programs."""
