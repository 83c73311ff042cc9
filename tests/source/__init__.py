"""Tests for policyc.source."""
