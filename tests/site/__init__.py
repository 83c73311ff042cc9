"""Tests for policyc.site."""
