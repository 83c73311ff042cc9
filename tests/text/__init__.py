"""Tests for policyc.text."""
