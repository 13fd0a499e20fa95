//! Small statistics the equivalence protocol needs: Student's t distribution, percentile
//! bootstrap intervals and the paired two one-sided test (TOST). Each is checked against scipy
//! values or by the coverage of its intervals on a known distribution.

pub mod bootstrap;
pub mod student_t;
pub mod tost;
