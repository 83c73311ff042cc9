"""Tests for policyc.render."""
