"""Services: the database work, taking and returning plain values and models."""
