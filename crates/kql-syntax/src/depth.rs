//! Per-parse context: the length of the source text (to turn remaining-input slices into byte
//! offsets) and a recursion-depth guard, so that deeply nested input returns a diagnostic
//! instead of overflowing the stack.

use crate::error::PErr;
use std::cell::Cell;

/// Maximum nesting depth (parentheses, pipelines, calls, unary chains, dynamic values).
///
/// A parenthesis or a call costs two levels (the bracket and the pipeline inside it), so
/// 256 levels allow about 127 nested parentheses; the deepest query of the Sentinel corpus
/// needs 12. The recursive parsers run through [`grow`], so the limit is safe on any thread
/// stack (an unoptimised build uses about 18 KiB of stack per level).
pub const MAX_DEPTH: usize = 256;

/// Runs `f` with at least [`RED_ZONE`] bytes of stack, switching to a fresh heap-allocated
/// stack segment when the current one is nearly exhausted. Wraps every recursive parser
/// (pipelines, unary chains, dynamic values, function bodies).
pub(crate) fn grow<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, NEW_STACK, f)
}

/// Minimum free stack before a recursive parser runs.
const RED_ZONE: usize = 256 * 1024;
/// Size of each additional stack segment.
const NEW_STACK: usize = 4 * 1024 * 1024;

thread_local! {
    static SRC_LEN: Cell<usize> = const { Cell::new(0) };
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Sets the per-thread parse context for the duration of `f`, restoring the previous one
/// afterwards (so nested parses, e.g. in tests, do not interfere).
pub(crate) fn with_source<R>(src: &str, f: impl FnOnce() -> R) -> R {
    let old_len = SRC_LEN.with(|c| c.replace(src.len()));
    let old_depth = DEPTH.with(|c| c.replace(0));
    let r = f();
    SRC_LEN.with(|c| c.set(old_len));
    DEPTH.with(|c| c.set(old_depth));
    r
}

/// Byte offset of the remaining input `rest` within the source being parsed.
pub(crate) fn offset(rest: &str) -> usize {
    SRC_LEN.with(|c| c.get()).saturating_sub(rest.len())
}

/// Decrements the depth counter when dropped.
pub(crate) struct DepthGuard(());

impl Drop for DepthGuard {
    fn drop(&mut self) {
        DEPTH.with(|c| c.set(c.get().saturating_sub(1)));
    }
}

/// Enters one nesting level at `i`; fails (with a cut) once [`MAX_DEPTH`] is exceeded.
pub(crate) fn enter(i: &str) -> Result<DepthGuard, nom::Err<PErr<'_>>> {
    let d = DEPTH.with(|c| {
        let d = c.get() + 1;
        c.set(d);
        d
    });
    let guard = DepthGuard(());
    if d > MAX_DEPTH {
        return Err(nom::Err::Failure(PErr::custom(
            i,
            crate::codes::TOO_DEEP,
            format!("nesting is too deep (more than {MAX_DEPTH} levels)"),
            1,
        )));
    }
    Ok(guard)
}
