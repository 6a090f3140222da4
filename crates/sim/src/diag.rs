//! Located messages for people: what was wrong, where (source, document, line, column, field
//! path), and what to do next.

use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    pub severity: Severity,
    /// The message itself, in Kubernetes' (API server's or kubectl's) wording where one exists.
    pub message: String,
    /// Name of the file or editor the text came from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// 1-based number of the YAML/JSON document within the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<usize>,
    /// 1-based line within the source (not within the document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 1-based column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// Field path, as Kubernetes prints it: `spec.template.spec.tolerations[0].effect`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The object the message is about, as `Kind namespace/name` or `Kind name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            source: None,
            document: None,
            line: None,
            column: None,
            path: None,
            object: None,
            hint: None,
        }
    }

    pub fn at_path(mut self, path: impl Into<String>) -> Self {
        let path = path.into();
        self.path = (!path.is_empty()).then_some(path);
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn for_object(mut self, object: impl Into<String>) -> Self {
        self.object = Some(object.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Where the message points, as `source: document 2, line 14, column 9`.
    pub fn location(&self) -> String {
        let mut parts = Vec::new();
        if let Some(d) = self.document {
            parts.push(format!("document {d}"));
        }
        if let Some(l) = self.line {
            parts.push(format!("line {l}"));
        }
        if let Some(c) = self.column {
            parts.push(format!("column {c}"));
        }
        match (&self.source, parts.is_empty()) {
            (Some(s), true) => s.clone(),
            (Some(s), false) => format!("{s}: {}", parts.join(", ")),
            (None, _) => parts.join(", "),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}")?;
        let loc = self.location();
        if !loc.is_empty() {
            write!(f, " ({loc})")?;
        }
        if let Some(o) = &self.object {
            write!(f, " [{o}]")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(h) = &self.hint {
            write!(f, "\n  hint: {h}")?;
        }
        Ok(())
    }
}
