//! Progress display (indicatif) on stderr: a spinner for a long-running query and a bar for
//! multi-rule runs. Both are hidden unless stdout and stderr are terminals, so they never end
//! up in piped output, golden files or CI logs.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Whether progress should be drawn at all.
pub fn visible() -> bool {
    std::io::stdout().is_terminal() && std::io::stderr().is_terminal()
}

/// A spinner that appears only when the work takes longer than a moment (no flicker for
/// fast queries).
pub struct Spinner {
    bar: ProgressBar,
    done: Arc<Mutex<bool>>,
}

impl Spinner {
    /// Starts a spinner with `message`, drawn after 300 ms if still running.
    pub fn start(message: &str) -> Spinner {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(message.to_string());
        let done = Arc::new(Mutex::new(false));
        if visible() {
            let (b, d) = (bar.clone(), done.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(300));
                if let Ok(done) = d.lock()
                    && !*done
                {
                    b.set_draw_target(ProgressDrawTarget::stderr());
                    b.enable_steady_tick(Duration::from_millis(100));
                }
            });
        }
        Spinner { bar, done }
    }

    /// Stops and erases the spinner.
    pub fn finish(self) {
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        *done = true;
        self.bar.finish_and_clear();
    }
}

/// A bar counting rules in a multi-rule run; lines printed through [`RuleBar::println`] do
/// not collide with it.
pub struct RuleBar {
    bar: ProgressBar,
}

impl RuleBar {
    /// A bar for `total` rules.
    pub fn new(total: usize) -> RuleBar {
        let target = if visible() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar = ProgressBar::with_draw_target(Some(total as u64), target);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{pos}/{len}] {wide_msg}") {
            bar.set_style(style);
        }
        bar.enable_steady_tick(Duration::from_millis(100));
        RuleBar { bar }
    }

    /// Shows which rule is running.
    pub fn set_message(&self, msg: &str) {
        self.bar.set_message(msg.to_string());
    }

    /// Counts one rule done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        self.bar.suspend(f)
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
