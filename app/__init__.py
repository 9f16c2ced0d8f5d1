"""Ofsted findings: the read-only query service over extracted inspection findings."""
