//! kql-planner
