//! Learning: the course's lessons, challenges and exam practice in the browser, over the
//! `s3pg-course` engine (lessons checked try by try, challenges graded by hidden probes and
//! constraints, exam questions whose keys are verified by running them).
//!
//! Self-contained like [`crate::editor`]: [`state`] holds the learner's flow as a pure reducer,
//! [`progress`] what the browser remembers (exported and imported as a file, never sent
//! anywhere), [`exam`] the timed set and the drill, [`links`] the URL parameters (embed mode,
//! instructor links), [`markdown`] the course's prose; [`view`] lays them out, reusing the
//! playground's trace. Its styles are `web/learn.css`.

pub mod challenges;
pub mod content;
pub mod exam;
pub mod exam_view;
pub mod lessons;
pub mod links;
pub mod markdown;
pub mod page;
pub mod panel;
pub mod progress;
pub mod scenario;
pub mod state;
pub mod view;

pub use view::{LearnEmbed, LearnView};
