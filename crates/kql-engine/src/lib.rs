//! kql-engine
