//! A whole course: lessons in topic order, the challenges that practise each lesson, and the
//! question bank, with counts by topic (what a course overview or a progress page shows).

use serde::Serialize;

use s3pg_sim::scenario::LoadError;

use crate::challenge::Challenge;
use crate::lesson::Lesson;
use crate::pack::Document;
use crate::question::Question;
use crate::topic::{TOPICS, topic_order};

/// Every lesson, challenge and question of a course.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Course {
    /// Lessons in topic order (then by id).
    pub lessons: Vec<Lesson>,
    /// Challenges by main topic (then by id), capstones last.
    pub challenges: Vec<Challenge>,
    /// Questions by topic (then by id).
    pub questions: Vec<Question>,
}

/// How much of the course covers one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TopicCount {
    /// The topic id.
    pub topic: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Lessons on it.
    pub lessons: usize,
    /// Challenges whose main topic it is.
    pub challenges: usize,
    /// Questions on it.
    pub questions: usize,
}

impl Course {
    /// Loads documents (`(name, text)`, any kind; packs are unpacked) into one course.
    pub fn from_texts<'a>(
        texts: impl IntoIterator<Item = (String, &'a str)>,
    ) -> Result<Course, (String, LoadError)> {
        let mut course = Course::default();
        for (name, text) in texts {
            match Document::from_json(text).map_err(|e| (name, e))? {
                Document::Lesson(l) => course.lessons.push(*l),
                Document::Challenge(c) => course.challenges.push(*c),
                Document::Question(q) => course.questions.push(*q),
                Document::Pack(p) => {
                    let p = *p;
                    course.lessons.extend(p.lessons);
                    course.challenges.extend(p.challenges);
                    course.questions.extend(p.questions);
                }
            }
        }
        let rank = |t: &str| topic_order(t).unwrap_or(usize::MAX);
        course
            .lessons
            .sort_by(|a, b| (rank(&a.topic), &a.id).cmp(&(rank(&b.topic), &b.id)));
        let main = |c: &Challenge| {
            let capstone = c.lesson.is_none();
            let t = c.topics.first().map_or(usize::MAX, |t| rank(t));
            (capstone, t, c.id.clone())
        };
        course.challenges.sort_by_key(main);
        course
            .questions
            .sort_by(|a, b| (rank(&a.topic), &a.id).cmp(&(rank(&b.topic), &b.id)));
        Ok(course)
    }

    /// The lesson with this id.
    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }

    /// The challenge with this id.
    pub fn challenge(&self, id: &str) -> Option<&Challenge> {
        self.challenges.iter().find(|c| c.id == id)
    }

    /// The question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// The challenges that practise a lesson.
    pub fn challenges_for(&self, lesson: &str) -> Vec<&Challenge> {
        self.challenges
            .iter()
            .filter(|c| c.lesson.as_deref() == Some(lesson))
            .collect()
    }

    /// The questions on a topic (a topic-by-topic drill).
    pub fn questions_on(&self, topic: &str) -> Vec<&Question> {
        self.questions.iter().filter(|q| q.topic == topic).collect()
    }

    /// Counts by topic, in course order (a challenge counts under its main topic).
    pub fn counts(&self) -> Vec<TopicCount> {
        TOPICS
            .iter()
            .map(|t| TopicCount {
                topic: t.id,
                title: t.title,
                lessons: self.lessons.iter().filter(|l| l.topic == t.id).count(),
                challenges: self
                    .challenges
                    .iter()
                    .filter(|c| c.topics.first().map(String::as_str) == Some(t.id))
                    .count(),
                questions: self.questions.iter().filter(|q| q.topic == t.id).count(),
            })
            .collect()
    }

    /// The counts as a Markdown table, with a total row.
    pub fn counts_table(&self) -> String {
        let mut out =
            String::from("| topic | lessons | challenges | questions |\n|---|---:|---:|---:|\n");
        for c in self.counts() {
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                c.title, c.lessons, c.challenges, c.questions
            ));
        }
        out.push_str(&format!(
            "| **total** | {} | {} | {} |\n",
            self.lessons.len(),
            self.challenges.len(),
            self.questions.len()
        ));
        out
    }
}
