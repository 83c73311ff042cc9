"""Tests for installing policyc as a tool."""
