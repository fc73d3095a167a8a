import { lastEventAt } from './trace.js';
// The player: one loop that maps screen time to virtual time. Between events the clock runs at a
// steady speed down the diagram (so a compressed break passes quickly); at each event it pauses
// long enough to read the narration, longer where the narration explains why. With
// prefers-reduced-motion it jumps from event to event instead of sliding.

/** Diagram pixels per second of screen time at 1×. */
const PX_PER_SECOND = 130;
/** Seconds to dwell on an event at 1×: a timer's bookkeeping, anything else, a "why". */
export const DWELL = { timer: 0.12, event: 0.32, why: 1.6 };

export class Player {
  /**
   * `onChange({ t, step, playing })` after every change; `dwellFor(step)` the seconds (at 1×) to
   * pause on a step so that its narration can be read.
   */
  constructor({ onChange, reducedMotion = () => false, dwellFor = () => DWELL.event }) {
    this.onChange = onChange;
    this.reducedMotion = reducedMotion;
    this.dwellFor = dwellFor;
    this.steps = [];
    this.timeline = null;
    this.t = 0;
    this.step = -1;
    this.speed = 1;
    this.playing = false;
    this.frame = 0;
    /** `hold(step)`: true to stop just before entering `step` (a prediction waits for the reader). */
    this.hold = null;
  }

  /** A new run. Keeps the place (time and step) if asked, else goes to the end. */
  load(steps, timeline, keep) {
    this.steps = steps;
    this.timeline = timeline;
    if (keep && !keep.atEnd) {
      const t = Math.min(keep.t, timeline.end);
      let step = lastEventAt(steps, t);
      // Inside an instant, stay at the same event count if the new run has as many; at the start,
      // before the first event (found by the random walk: a re-run there jumped past the events at 0).
      if (keep.step < 0) step = -1;
      else if (keep.step < steps.length && steps[keep.step].at === t) step = Math.min(step, keep.step);
      this.set(t, step);
    } else this.set(timeline.end, steps.length - 1);
  }

  /** Where the reader is, to be kept across a re-run: at the end stays at the (new) end. */
  place() {
    return { t: this.t, step: this.step, atEnd: this.step >= this.steps.length - 1 && this.t >= this.end };
  }

  get end() {
    return this.timeline ? this.timeline.end : 0;
  }

  set(t, step) {
    this.t = t;
    this.step = step;
    this.onChange({ t, step, playing: this.playing });
  }

  toStep(i) {
    const step = Math.max(-1, Math.min(this.steps.length - 1, i));
    this.set(step < 0 ? 0 : this.steps[step].at, step);
  }

  forward() {
    this.pause();
    if (this.hold?.(this.step + 1)) return;
    if (this.step < this.steps.length - 1) this.toStep(this.step + 1);
    else if (this.t < this.end) this.set(this.end, this.step);
  }

  back() {
    this.pause();
    if (this.step >= 0) this.toStep(this.step - 1);
  }

  toStart() {
    this.pause();
    this.set(0, -1);
  }

  toEnd() {
    this.pause();
    this.set(this.end, this.steps.length - 1);
  }

  /** Jump to a fraction (0..1) of the diagram's height. */
  seek(fraction) {
    this.pause();
    const t = this.timeline.t(fraction * this.timeline.height);
    this.set(t, lastEventAt(this.steps, t));
  }

  /** Where the current time sits along the diagram, 0..1. */
  fraction() {
    return this.timeline && this.timeline.height > 0 ? this.timeline.y(this.t) / this.timeline.height : 1;
  }

  setSpeed(speed) {
    this.speed = speed;
  }

  toggle() {
    if (this.playing) this.pause();
    else this.play();
  }

  play() {
    if (this.playing || !this.timeline) return;
    if (this.step >= this.steps.length - 1 && this.t >= this.end) this.set(0, -1);
    this.playing = true;
    this.dwell = 0;
    this.last = performance.now();
    this.onChange({ t: this.t, step: this.step, playing: true });
    this.frame = requestAnimationFrame((now) => this.tick(now));
  }

  pause() {
    if (!this.playing) return;
    this.playing = false;
    cancelAnimationFrame(this.frame);
    this.onChange({ t: this.t, step: this.step, playing: false });
  }

  tick(now) {
    if (!this.playing) return;
    let dt = Math.min(0.25, (now - this.last) / 1000) * this.speed;
    this.last = now;
    let { t, step } = this;
    const reduced = this.reducedMotion();
    while (dt > 0) {
      if (this.dwell > 0) {
        const used = Math.min(dt, this.dwell);
        this.dwell -= used;
        dt -= used;
        continue;
      }
      const next = this.steps[step + 1];
      if (!next) {
        // After the last event: run on to the end of the axis, then stop.
        if (t >= this.end) {
          this.t = t;
          this.step = step;
          this.pause();
          return;
        }
        t = reduced ? this.end : this.advance(t, this.end, dt);
        dt = 0;
        continue;
      }
      if (t < next.at && !reduced) {
        const moved = this.advance(t, next.at, dt);
        dt -= this.cost(t, moved);
        t = moved;
        if (t < next.at) break;
      }
      if (this.hold?.(step + 1)) {
        this.t = t;
        this.step = step;
        this.pause();
        return;
      }
      t = next.at;
      step += 1;
      this.dwell = Math.max(reduced ? DWELL.event * 2 : 0, this.dwellFor(step));
    }
    this.t = t;
    this.step = step;
    this.onChange({ t, step, playing: true });
    this.frame = requestAnimationFrame((n) => this.tick(n));
  }

  /** Virtual time reached from `t` toward `limit` in `dt` seconds of screen time. */
  advance(t, limit, dt) {
    const y = this.timeline.y(t) + dt * PX_PER_SECOND;
    const yLimit = this.timeline.y(limit);
    return y >= yLimit ? limit : Math.max(t, this.timeline.t(y));
  }

  /** Seconds of screen time to move from `t0` to `t1`. */
  cost(t0, t1) {
    return (this.timeline.y(t1) - this.timeline.y(t0)) / PX_PER_SECOND;
  }
}

/** Wire the player's buttons, scrubber, speed and keyboard shortcuts. */
export function bindPlayer(player, ui) {
  ui.play.addEventListener('click', () => player.toggle());
  ui.back.addEventListener('click', () => player.back());
  ui.forward.addEventListener('click', () => player.forward());
  ui.start.addEventListener('click', () => player.toStart());
  ui.end.addEventListener('click', () => player.toEnd());
  ui.scrubber.addEventListener('input', () => player.seek(Number(ui.scrubber.value) / 1000));
  ui.speed.addEventListener('change', () => player.setSpeed(Number(ui.speed.value)));
  document.addEventListener('keydown', (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const target = ev.target;
    if (target.closest && target.closest('input, select, textarea, button, [role="button"], [role="menu"], summary')) return;
    if (ev.key === 'ArrowRight' || ev.key === '.') player.forward();
    else if (ev.key === 'ArrowLeft' || ev.key === ',') player.back();
    else if (ev.key === ' ' || ev.key === 'k') player.toggle();
    else if (ev.key === 'Home') player.toStart();
    else if (ev.key === 'End') player.toEnd();
    else return;
    ev.preventDefault();
  });
}
