"""Tests for policyc.history."""
