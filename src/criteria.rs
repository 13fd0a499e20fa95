//! The domain's words as types: the criteria the verdict and the protocol judge, the similarities
//! compared across repeated fits, the decisions, and how a method's runs were made. Their serde
//! names are report.json's keys and values (a public contract), and each one's labels are written
//! here once, for the paragraph, the tables, report.md, the figures and the app alike.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A figure the verdict (one run) or the protocol (repeated runs) judges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Criterion {
    /// Test reconstruction MSE (its difference is relative to the better method).
    ReconstructionMseTest,
    /// 5-NN accuracy on the test rows' latents.
    KnnAccuracy,
    /// Logistic-regression accuracy on the test rows' latents.
    LinearAccuracy,
    /// Trustworthiness of the latents against the input.
    Trustworthiness,
    /// Continuity of the latents against the input.
    Continuity,
    /// Linear CKA between the two spaces (a floor, not a difference).
    LinearCka,
    /// Mean k-NN Jaccard between the two spaces (a floor, not a difference).
    KnnJaccardMean,
}

impl Criterion {
    /// Every criterion, in the verdict's order.
    pub const ALL: [Criterion; 7] = [
        Criterion::ReconstructionMseTest,
        Criterion::KnnAccuracy,
        Criterion::LinearAccuracy,
        Criterion::Trustworthiness,
        Criterion::Continuity,
        Criterion::LinearCka,
        Criterion::KnnJaccardMean,
    ];

    /// The report key (`reconstruction_mse_test`, `knn_accuracy`, …).
    pub fn key(self) -> &'static str {
        match self {
            Criterion::ReconstructionMseTest => "reconstruction_mse_test",
            Criterion::KnnAccuracy => "knn_accuracy",
            Criterion::LinearAccuracy => "linear_accuracy",
            Criterion::Trustworthiness => "trustworthiness",
            Criterion::Continuity => "continuity",
            Criterion::LinearCka => "linear_cka",
            Criterion::KnnJaccardMean => "knn_jaccard_mean",
        }
    }

    /// Its name as a heading or table row of the protocol ("Test reconstruction MSE").
    pub fn label(self) -> &'static str {
        match self {
            Criterion::ReconstructionMseTest => "Test reconstruction MSE",
            Criterion::KnnAccuracy => "k-NN accuracy",
            Criterion::LinearAccuracy => "Logistic-regression accuracy",
            Criterion::Trustworthiness => "Trustworthiness",
            Criterion::Continuity => "Continuity",
            Criterion::LinearCka => "Linear CKA",
            Criterion::KnnJaccardMean => "Mean k-NN Jaccard",
        }
    }

    /// Its name inside a sentence of the verdict ("test reconstruction").
    pub fn in_sentence(self) -> &'static str {
        match self {
            Criterion::ReconstructionMseTest => "test reconstruction",
            Criterion::KnnAccuracy => "5-NN accuracy",
            Criterion::LinearAccuracy => "logistic-regression accuracy",
            Criterion::Trustworthiness => "trustworthiness",
            Criterion::Continuity => "continuity",
            Criterion::LinearCka => "linear CKA",
            Criterion::KnnJaccardMean => "k-NN Jaccard",
        }
    }

    /// Its row in the verdict's table, saying what the difference is.
    pub fn table_label(self) -> &'static str {
        match self {
            Criterion::ReconstructionMseTest => {
                "Test reconstruction MSE (difference relative to the better)"
            }
            Criterion::KnnAccuracy => "5-NN accuracy",
            Criterion::LinearAccuracy => "Logistic-regression accuracy",
            Criterion::Trustworthiness => "Trustworthiness",
            Criterion::Continuity => "Continuity",
            Criterion::LinearCka => "Linear CKA between the spaces",
            Criterion::KnnJaccardMean => "Mean k-NN Jaccard between the spaces",
        }
    }

    /// True for the between-space figures judged against a floor (CKA, k-NN Jaccard).
    pub fn is_floor(self) -> bool {
        matches!(self, Criterion::LinearCka | Criterion::KnnJaccardMean)
    }
}

impl fmt::Display for Criterion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// A similarity of two runs' latent spaces, compared within and between methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Similarity {
    /// Linear CKA.
    LinearCka,
    /// 1 − scipy's Procrustes disparity.
    ProcrustesSimilarity,
    /// Mean k-NN Jaccard.
    KnnJaccard,
    /// Mean canonical correlation (judges the subspace, not the geometry).
    MeanCca,
}

impl Similarity {
    /// Every similarity, in the order of the report's `geometry` list.
    pub const ALL: [Similarity; 4] = [
        Similarity::LinearCka,
        Similarity::ProcrustesSimilarity,
        Similarity::KnnJaccard,
        Similarity::MeanCca,
    ];

    /// The similarities judged for geometric equivalence.
    pub const GEOMETRY: [Similarity; 3] = [
        Similarity::LinearCka,
        Similarity::ProcrustesSimilarity,
        Similarity::KnnJaccard,
    ];

    /// The report key.
    pub fn key(self) -> &'static str {
        match self {
            Similarity::LinearCka => "linear_cka",
            Similarity::ProcrustesSimilarity => "procrustes_similarity",
            Similarity::KnnJaccard => "knn_jaccard",
            Similarity::MeanCca => "mean_cca",
        }
    }

    /// Its name as a heading or axis title.
    pub fn label(self) -> &'static str {
        match self {
            Similarity::LinearCka => "Linear CKA",
            Similarity::ProcrustesSimilarity => "Procrustes similarity",
            Similarity::KnnJaccard => "k-NN Jaccard",
            Similarity::MeanCca => "Mean CCA",
        }
    }
}

impl fmt::Display for Similarity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The protocol's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Decision {
    /// Every test passes.
    #[serde(rename = "equivalent")]
    Equivalent,
    /// An interval lies wholly outside its margin: a difference is shown.
    #[serde(rename = "not equivalent")]
    NotEquivalent,
    /// No difference shown, but not every test passes (or a method is too unstable to judge).
    #[serde(rename = "undecided")]
    Undecided,
}

impl Decision {
    /// The word report.json and the texts use.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Equivalent => "equivalent",
            Decision::NotEquivalent => "not equivalent",
            Decision::Undecided => "undecided",
        }
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What one criterion's test showed over the runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// The interval lies within ±margin.
    Equivalent,
    /// The interval lies wholly outside the margin.
    Different,
    /// Neither.
    Undecided,
    /// No test (the criterion does not apply to both methods, or too few runs).
    NotApplicable,
}

impl Outcome {
    /// The word the tables show.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Equivalent => "equivalent",
            Outcome::Different => "different",
            Outcome::Undecided => "undecided",
            Outcome::NotApplicable => "n/a",
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How a method's runs were made in the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VariedBy {
    /// Fitted once (precomputed latents are deterministic).
    Single,
    /// PCA on bootstrap resamples of the training rows.
    Bootstrap,
    /// A trained method with consecutive seeds.
    Seeds,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_names_are_the_report_keys() {
        for c in Criterion::ALL {
            assert_eq!(
                serde_json::to_string(&c).unwrap(),
                format!("\"{}\"", c.key())
            );
        }
        for s in Similarity::ALL {
            assert_eq!(
                serde_json::to_string(&s).unwrap(),
                format!("\"{}\"", s.key())
            );
        }
        for d in [
            Decision::Equivalent,
            Decision::NotEquivalent,
            Decision::Undecided,
        ] {
            assert_eq!(serde_json::to_string(&d).unwrap(), format!("\"{d}\""));
        }
        assert_eq!(
            serde_json::to_string(&VariedBy::Bootstrap).unwrap(),
            "\"bootstrap\""
        );
    }
}
