//! The `cnf` confirmation claim (RFC 7800, RFC 8705 section 3): building it, reading it, verifying a binding, and the resource-server and authorization-server binding policies.
