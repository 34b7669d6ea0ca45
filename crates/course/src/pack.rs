//! Course packs and loading any course document.
//!
//! A pack bundles lessons, challenges and questions in one file an instructor can share (as a
//! file or a link); a question bank is a pack holding only questions. [`Document::from_json`]
//! loads any of the four kinds, read from `kind` or, when it is left out, from the fields present.

use serde::{Deserialize, Serialize};

use s3pg_sim::scenario::LoadError;

use crate::challenge::Challenge;
use crate::lesson::Lesson;
use crate::load::{check_head, error_at, join, parse};
use crate::question::Question;
use crate::text::Text;

/// A bundle of lessons, challenges and questions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Pack {
    /// The JSON Schema reference (ignored).
    #[serde(default, rename = "$schema", skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// `pack`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// A stable id.
    pub id: String,
    /// The title.
    pub title: String,
    /// What the pack is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Lessons, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lessons: Vec<Lesson>,
    /// Challenges, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub challenges: Vec<Challenge>,
    /// Questions.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
}

impl Pack {
    /// Loads a pack and checks everything in it.
    pub fn from_json(text: &str) -> Result<Pack, LoadError> {
        let mut pack: Pack = parse(text)?;
        pack.prepare(text)?;
        Ok(pack)
    }

    fn prepare(&mut self, text: &str) -> Result<(), LoadError> {
        check_head(text, "", "pack", self.kind.as_deref(), &self.id)?;
        let mut ids: Vec<String> = Vec::new();
        let mut unique = |path: String, id: &str| {
            if ids.iter().any(|i| i == id) {
                Err(error_at(
                    text,
                    &join(&path, "id"),
                    format!("two items of the pack are called `{id}`"),
                    Some("ids must be unique within a pack"),
                ))
            } else {
                ids.push(id.to_owned());
                Ok(())
            }
        };
        for (i, l) in self.lessons.iter_mut().enumerate() {
            let path = format!("lessons[{i}]");
            l.prepare(text, &path)?;
            unique(path, &l.id)?;
        }
        for (i, c) in self.challenges.iter_mut().enumerate() {
            let path = format!("challenges[{i}]");
            c.prepare(text, &path)?;
            unique(path, &c.id)?;
        }
        for (i, q) in self.questions.iter_mut().enumerate() {
            let path = format!("questions[{i}]");
            q.prepare(text, &path)?;
            unique(path, &q.id)?;
        }
        Ok(())
    }
}

/// Any course document.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// A lesson.
    Lesson(Box<Lesson>),
    /// A challenge.
    Challenge(Box<Challenge>),
    /// A question.
    Question(Box<Question>),
    /// A pack.
    Pack(Box<Pack>),
}

#[derive(Deserialize)]
struct Peek {
    kind: Option<String>,
    sections: Option<serde::de::IgnoredAny>,
    options: Option<serde::de::IgnoredAny>,
    probes: Option<serde::de::IgnoredAny>,
    hole: Option<serde::de::IgnoredAny>,
}

impl Document {
    /// Loads a lesson, challenge, question or pack, whichever the text is.
    pub fn from_json(text: &str) -> Result<Document, LoadError> {
        let peek: Peek = parse(text)?;
        let kind = match peek.kind.as_deref() {
            Some(k) => k.to_owned(),
            None if peek.sections.is_some() => "lesson".to_owned(),
            None if peek.probes.is_some() || peek.hole.is_some() => "challenge".to_owned(),
            None if peek.options.is_some() => "question".to_owned(),
            None => "pack".to_owned(),
        };
        Ok(match kind.as_str() {
            "lesson" => Document::Lesson(Box::new(Lesson::from_json(text)?)),
            "challenge" => Document::Challenge(Box::new(Challenge::from_json(text)?)),
            "question" => Document::Question(Box::new(Question::from_json(text)?)),
            "pack" => Document::Pack(Box::new(Pack::from_json(text)?)),
            other => {
                return Err(error_at(
                    text,
                    "kind",
                    format!("unknown kind `{other}`"),
                    Some("use `lesson`, `challenge`, `question` or `pack`"),
                ));
            }
        })
    }

    /// The document's id.
    pub fn id(&self) -> &str {
        match self {
            Document::Lesson(l) => &l.id,
            Document::Challenge(c) => &c.id,
            Document::Question(q) => &q.id,
            Document::Pack(p) => &p.id,
        }
    }

    /// `lesson`, `challenge`, `question` or `pack`.
    pub fn kind(&self) -> &'static str {
        match self {
            Document::Lesson(_) => "lesson",
            Document::Challenge(_) => "challenge",
            Document::Question(_) => "question",
            Document::Pack(_) => "pack",
        }
    }
}
