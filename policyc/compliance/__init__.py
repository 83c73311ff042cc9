"""What each school must have: the statutory list, the check against it, and which version was in force when."""
