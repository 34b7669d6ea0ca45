//! Exam practice: a timed set of questions in the style of the AWS certification exams, scored by
//! topic with a review of every mistake, and a topic-by-topic drill that answers each question as
//! soon as it is checked.
//!
//! Everything here is pure: the clock is an input (milliseconds, from the page's timer), and so is
//! the seed that picks the set, so a practice run is reproducible in tests. Options are always
//! shown in the data's order; only the choice of questions is shuffled.

use s3pg_course::{Course, Exam, Question, Score};

/// What the candidate chose before starting a timed set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamConfig {
    /// Only questions written for this exam (`None`: every exam).
    pub exam: Option<Exam>,
    /// Only these topics (empty: every topic).
    pub topics: Vec<String>,
    /// How many questions.
    pub count: usize,
    /// The time limit in minutes (0: untimed).
    pub minutes: u32,
}

impl Default for ExamConfig {
    fn default() -> Self {
        ExamConfig {
            exam: None,
            topics: Vec::new(),
            count: 10,
            minutes: 15,
        }
    }
}

impl ExamConfig {
    /// The questions of `course` this configuration allows, in course order.
    pub fn eligible<'a>(&self, course: &'a Course) -> Vec<&'a Question> {
        course
            .questions
            .iter()
            .filter(|q| self.exam.is_none_or(|e| q.exam == e))
            .filter(|q| self.topics.is_empty() || self.topics.contains(&q.topic))
            .collect()
    }
}

/// A small, well-mixed generator (SplitMix64) for picking a set from a seed.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Picks up to `config.count` eligible questions, shuffled by `seed` (Fisher–Yates).
pub fn pick(course: &Course, config: &ExamConfig, seed: u64) -> Vec<String> {
    let mut ids: Vec<String> = config
        .eligible(course)
        .iter()
        .map(|q| q.id.clone())
        .collect();
    let mut state = seed;
    for i in (1..ids.len()).rev() {
        let bound = u64::try_from(i + 1).unwrap_or(u64::MAX);
        let j = usize::try_from(splitmix(&mut state) % bound).unwrap_or(0);
        ids.swap(i, j);
    }
    ids.truncate(config.count.max(1));
    ids
}

/// Toggles option `option` in `selected` for a question asking to choose `choose`: a single-answer
/// question keeps one selection, a multiple-answer question toggles. The selection stays in the
/// data's option order.
pub fn toggle(question: &Question, selected: &mut Vec<String>, option: &str) {
    if question.choose <= 1 {
        selected.clear();
        selected.push(option.to_owned());
    } else if let Some(i) = selected.iter().position(|s| s == option) {
        selected.remove(i);
    } else {
        selected.push(option.to_owned());
    }
    let order = |id: &String| question.options.iter().position(|o| &o.id == id);
    selected.sort_by_key(order);
}

/// One question of a submitted set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The question's id.
    pub id: String,
    /// Its topic.
    pub topic: String,
    /// What the candidate selected.
    pub selected: Vec<String>,
    /// The engine-verified key, missed and wrong options, explanation and each option's why.
    pub score: Score,
}

/// A topic's share of a submitted set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicScore {
    /// The topic id.
    pub topic: String,
    /// Questions answered correctly.
    pub correct: usize,
    /// Questions on the topic in the set.
    pub total: usize,
}

/// A submitted set's result.
#[derive(Debug, Clone, PartialEq)]
pub struct PracticeResult {
    /// Every question, in the set's order.
    pub answered: Vec<Answered>,
    /// Scores by topic, in course order of first appearance in the set.
    pub by_topic: Vec<TopicScore>,
    /// True when time ran out before the candidate submitted.
    pub timed_out: bool,
    /// Milliseconds from start to submission.
    pub elapsed_ms: f64,
}

impl PracticeResult {
    /// Questions answered correctly.
    pub fn correct(&self) -> usize {
        self.answered.iter().filter(|a| a.score.correct).count()
    }

    /// The indices of the questions answered wrongly (the review list).
    pub fn mistakes(&self) -> Vec<usize> {
        self.answered
            .iter()
            .enumerate()
            .filter(|(_, a)| !a.score.correct)
            .map(|(i, _)| i)
            .collect()
    }

    /// The score as a whole percentage.
    pub fn percent(&self) -> usize {
        (self.correct() * 100)
            .checked_div(self.answered.len())
            .unwrap_or(0)
    }
}

/// A timed practice set in progress (or submitted).
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    /// The configuration it started from.
    pub config: ExamConfig,
    /// The questions' ids, in the set's order.
    pub questions: Vec<String>,
    /// The selection for each question (same order).
    pub selected: Vec<Vec<String>>,
    /// Questions flagged for review before submitting.
    pub flagged: Vec<bool>,
    /// The question on screen.
    pub current: usize,
    /// When the set started (page milliseconds).
    pub started_ms: f64,
    /// The result, once submitted.
    pub result: Option<PracticeResult>,
}

impl Practice {
    /// Starts a set: picks the questions from `seed`, starting the clock at `now_ms`.
    pub fn start(course: &Course, config: ExamConfig, seed: u64, now_ms: f64) -> Practice {
        let questions = pick(course, &config, seed);
        let n = questions.len();
        Practice {
            config,
            questions,
            selected: vec![Vec::new(); n],
            flagged: vec![false; n],
            current: 0,
            started_ms: now_ms,
            result: None,
        }
    }

    /// Milliseconds left at `now_ms` (`None`: untimed).
    pub fn remaining_ms(&self, now_ms: f64) -> Option<f64> {
        (self.config.minutes > 0).then(|| {
            let limit = f64::from(self.config.minutes) * 60_000.0;
            (limit - (now_ms - self.started_ms)).max(0.0)
        })
    }

    /// True when the set is timed and its time is up at `now_ms`.
    pub fn expired(&self, now_ms: f64) -> bool {
        self.remaining_ms(now_ms).is_some_and(|r| r <= 0.0)
    }

    /// How many questions have a selection.
    pub fn answered(&self) -> usize {
        self.selected.iter().filter(|s| !s.is_empty()).count()
    }

    /// Selects or unselects an option of the current question (ignored once submitted).
    pub fn toggle(&mut self, course: &Course, option: &str) {
        if self.result.is_some() {
            return;
        }
        let Some(q) = self
            .questions
            .get(self.current)
            .and_then(|id| course.question(id))
        else {
            return;
        };
        if let Some(sel) = self.selected.get_mut(self.current) {
            toggle(q, sel, option);
        }
    }

    /// Shows question `index` (clamped to the set).
    pub fn go(&mut self, index: usize) {
        self.current = index.min(self.questions.len().saturating_sub(1));
    }

    /// Scores the set; `timed_out` says the timer submitted it. Submitting twice keeps the
    /// first result.
    pub fn submit(&mut self, course: &Course, now_ms: f64, timed_out: bool) {
        if self.result.is_some() {
            return;
        }
        let mut answered = Vec::new();
        for (id, selected) in self.questions.iter().zip(&self.selected) {
            let Some(q) = course.question(id) else {
                continue;
            };
            let refs: Vec<&str> = selected.iter().map(String::as_str).collect();
            answered.push(Answered {
                id: id.clone(),
                topic: q.topic.clone(),
                selected: selected.clone(),
                score: q.score(&refs),
            });
        }
        let mut by_topic: Vec<TopicScore> = Vec::new();
        for a in &answered {
            let i = match by_topic.iter().position(|t| t.topic == a.topic) {
                Some(i) => i,
                None => {
                    by_topic.push(TopicScore {
                        topic: a.topic.clone(),
                        correct: 0,
                        total: 0,
                    });
                    by_topic.len() - 1
                }
            };
            if let Some(t) = by_topic.get_mut(i) {
                t.total += 1;
                if a.score.correct {
                    t.correct += 1;
                }
            }
        }
        let rank = |t: &TopicScore| {
            s3pg_course::TOPICS
                .iter()
                .position(|x| x.id == t.topic)
                .unwrap_or(usize::MAX)
        };
        by_topic.sort_by_key(rank);
        let limit = f64::from(self.config.minutes) * 60_000.0;
        let elapsed = now_ms - self.started_ms;
        self.result = Some(PracticeResult {
            answered,
            by_topic,
            timed_out,
            elapsed_ms: if timed_out && limit > 0.0 {
                limit
            } else {
                elapsed
            },
        });
    }

    /// Called by the page's timer: submits the set when its time is up. Returns true when it did.
    pub fn tick(&mut self, course: &Course, now_ms: f64) -> bool {
        if self.result.is_none() && self.expired(now_ms) {
            self.submit(course, now_ms, true);
            return true;
        }
        false
    }
}

/// A topic-by-topic drill: one question at a time, checked as soon as the candidate asks.
#[derive(Debug, Clone, PartialEq)]
pub struct Drill {
    /// The topic.
    pub topic: String,
    /// The topic's questions, in course order.
    pub questions: Vec<String>,
    /// The question on screen.
    pub current: usize,
    /// The current selection.
    pub selected: Vec<String>,
    /// The current question's score, once checked.
    pub checked: Option<Score>,
    /// Questions answered correctly in this drill.
    pub correct: usize,
    /// Questions checked in this drill.
    pub done: usize,
}

impl Drill {
    /// A drill over a topic's questions.
    pub fn start(course: &Course, topic: &str) -> Drill {
        Drill {
            topic: topic.to_owned(),
            questions: course
                .questions_on(topic)
                .iter()
                .map(|q| q.id.clone())
                .collect(),
            current: 0,
            selected: Vec::new(),
            checked: None,
            correct: 0,
            done: 0,
        }
    }

    /// The question on screen.
    pub fn question<'a>(&self, course: &'a Course) -> Option<&'a Question> {
        self.questions
            .get(self.current)
            .and_then(|id| course.question(id))
    }

    /// Selects or unselects an option (ignored once checked).
    pub fn toggle(&mut self, course: &Course, option: &str) {
        if self.checked.is_some() {
            return;
        }
        if let Some(q) = self.question(course) {
            toggle(q, &mut self.selected, option);
        }
    }

    /// Checks the selection; returns the score (also kept for the view).
    pub fn check(&mut self, course: &Course) -> Option<Score> {
        if self.checked.is_some() || self.selected.is_empty() {
            return None;
        }
        let q = self.question(course)?;
        let refs: Vec<&str> = self.selected.iter().map(String::as_str).collect();
        let score = q.score(&refs);
        self.done += 1;
        if score.correct {
            self.correct += 1;
        }
        self.checked = Some(score.clone());
        Some(score)
    }

    /// The next question (wraps to the first after the last).
    pub fn next(&mut self) {
        if self.questions.is_empty() {
            return;
        }
        self.current = (self.current + 1) % self.questions.len();
        self.selected.clear();
        self.checked = None;
    }
}

/// The countdown as `m:ss`.
pub fn clock(ms: f64) -> String {
    let secs = (ms / 1000.0).ceil().max(0.0);
    // INVARIANT: secs is a non-negative whole number far below u64::MAX (minutes of a practice set).
    #[expect(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        reason = "non-negative whole seconds of a practice set"
    )]
    let secs = secs as u64;
    format!("{}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course() -> Course {
        s3pg_course::builtin::course().unwrap()
    }

    fn config(count: usize, minutes: u32) -> ExamConfig {
        ExamConfig {
            exam: None,
            topics: vec!["deny-encryption".to_owned(), "sse".to_owned()],
            count,
            minutes,
        }
    }

    #[test]
    fn a_set_is_picked_from_the_chosen_topics_and_exam_only() {
        let c = course();
        let ids = pick(&c, &config(6, 10), 7);
        assert_eq!(ids.len(), 6);
        for id in &ids {
            let q = c.question(id).unwrap();
            assert!(q.topic == "deny-encryption" || q.topic == "sse", "{id}");
        }
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "no question twice");
        let only = ExamConfig {
            exam: Some(Exam::Developer),
            topics: Vec::new(),
            count: 500,
            minutes: 0,
        };
        let dev = pick(&c, &only, 1);
        assert!(!dev.is_empty());
        assert!(
            dev.iter()
                .all(|id| c.question(id).unwrap().exam == Exam::Developer)
        );
    }

    #[test]
    fn the_same_seed_picks_the_same_set_and_another_seed_another() {
        let c = course();
        assert_eq!(pick(&c, &config(5, 10), 42), pick(&c, &config(5, 10), 42));
        assert_ne!(pick(&c, &config(5, 10), 42), pick(&c, &config(5, 10), 43));
    }

    #[test]
    fn single_answer_questions_keep_one_selection_and_multiple_toggle() {
        let c = course();
        let single = c.questions.iter().find(|q| q.choose == 1).unwrap();
        let mut sel = Vec::new();
        toggle(single, &mut sel, &single.options[0].id);
        toggle(single, &mut sel, &single.options[1].id);
        assert_eq!(sel, [single.options[1].id.clone()]);
        let multi = c.questions.iter().find(|q| q.choose == 2).unwrap();
        let mut sel = Vec::new();
        toggle(multi, &mut sel, &multi.options[2].id);
        toggle(multi, &mut sel, &multi.options[0].id);
        assert_eq!(
            sel,
            [multi.options[0].id.clone(), multi.options[2].id.clone()],
            "data order"
        );
        toggle(multi, &mut sel, &multi.options[2].id);
        assert_eq!(sel, [multi.options[0].id.clone()]);
    }

    fn key_of(c: &Course, id: &str) -> Vec<String> {
        c.question(id)
            .unwrap()
            .key()
            .iter()
            .map(|s| (*s).to_owned())
            .collect()
    }

    fn wrong_of(c: &Course, id: &str) -> String {
        let q = c.question(id).unwrap();
        q.options.iter().find(|o| !o.correct).unwrap().id.clone()
    }

    #[test]
    fn a_submitted_set_is_scored_by_topic_with_the_mistakes_listed() {
        let c = course();
        let mut p = Practice::start(&c, config(4, 10), 3, 1_000.0);
        assert_eq!(p.questions.len(), 4);
        // Answer the first two right, the third wrong, leave the fourth blank.
        for i in 0..2 {
            p.go(i);
            for k in key_of(&c, &p.questions[i].clone()) {
                p.toggle(&c, &k);
            }
        }
        p.go(2);
        let w = wrong_of(&c, &p.questions[2].clone());
        p.toggle(&c, &w);
        assert_eq!(p.answered(), 3);
        p.submit(&c, 61_000.0, false);
        let r = p.result.clone().unwrap();
        assert_eq!(r.correct(), 2);
        assert_eq!(r.mistakes(), [2, 3]);
        assert_eq!(r.percent(), 50);
        assert!(!r.timed_out);
        assert!((r.elapsed_ms - 60_000.0).abs() < f64::EPSILON);
        let total: usize = r.by_topic.iter().map(|t| t.total).sum();
        assert_eq!(total, 4);
        let order: Vec<&str> = r.by_topic.iter().map(|t| t.topic.as_str()).collect();
        let mut sorted = order.clone();
        sorted.sort_by_key(|t| s3pg_course::TOPICS.iter().position(|x| x.id == *t));
        assert_eq!(order, sorted, "topics in course order");
        let mistake = &r.answered[2];
        assert_eq!(mistake.score.wrong, [w]);
        assert!(!mistake.score.explanation.is_empty());
        assert_eq!(
            mistake.score.why.len(),
            c.question(&mistake.id).unwrap().options.len()
        );
        // Submitted: further selections and submissions change nothing.
        p.go(3);
        let k = key_of(&c, &p.questions[3].clone());
        p.toggle(&c, &k[0]);
        p.submit(&c, 99_000.0, false);
        assert_eq!(p.result, Some(r));
    }

    #[test]
    fn the_timer_counts_down_and_submits_when_time_is_up() {
        let c = course();
        let mut p = Practice::start(&c, config(3, 2), 9, 10_000.0);
        assert_eq!(p.remaining_ms(10_000.0), Some(120_000.0));
        assert_eq!(p.remaining_ms(70_000.0), Some(60_000.0));
        assert!(!p.tick(&c, 129_999.0));
        assert!(p.result.is_none());
        assert!(p.tick(&c, 130_000.0));
        let r = p.result.clone().unwrap();
        assert!(r.timed_out);
        assert!((r.elapsed_ms - 120_000.0).abs() < f64::EPSILON);
        assert_eq!(r.correct(), 0, "blank answers are wrong");
        assert!(!p.tick(&c, 200_000.0), "it submits once");
        assert_eq!(p.remaining_ms(500_000.0), Some(0.0));
    }

    #[test]
    fn an_untimed_set_never_expires() {
        let c = course();
        let mut p = Practice::start(&c, config(2, 0), 1, 0.0);
        assert_eq!(p.remaining_ms(1e12), None);
        assert!(!p.tick(&c, 1e12));
    }

    #[test]
    fn a_drill_checks_each_question_and_counts() {
        let c = course();
        let mut d = Drill::start(&c, "acls");
        assert_eq!(d.questions.len(), c.questions_on("acls").len());
        assert!(d.check(&c).is_none(), "nothing selected: nothing to check");
        let q = d.question(&c).unwrap().clone();
        for k in q.key() {
            d.toggle(&c, k);
        }
        let s = d.check(&c).unwrap();
        assert!(s.correct);
        assert!(d.check(&c).is_none(), "checked once");
        d.next();
        let q2 = d.question(&c).unwrap().clone();
        assert_ne!(q.id, q2.id);
        let w = q2.options.iter().find(|o| !o.correct).unwrap().id.clone();
        d.toggle(&c, &w);
        assert!(!d.check(&c).unwrap().correct);
        assert_eq!((d.correct, d.done), (1, 2));
    }

    #[test]
    fn the_clock_reads_minutes_and_seconds() {
        assert_eq!(clock(125_000.0), "2:05");
        assert_eq!(clock(999.0), "0:01");
        assert_eq!(clock(-5.0), "0:00");
    }
}
