//! Metrics on latent spaces. Sums in f64; every function is checked against scikit-learn/scipy
//! reference values or closed forms.

pub mod distances;
pub mod downstream;
pub mod knn;
pub mod lbfgs;
pub mod logistic;
pub mod neighbourhoods;
pub mod silhouette;
pub mod similarity;
