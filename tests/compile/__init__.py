"""Tests for policyc.compile."""
