// Numbers as people read them.
const UNITS = ["B", "KB", "MB", "GB", "TB"];

export function bytes(n) {
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${UNITS[unit]}`;
}

export function seconds(s) {
  if (!Number.isFinite(s) || s < 0) {
    return "…";
  }
  const whole = Math.round(s);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const rest = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${rest}` : `${m}:${rest}`;
}

/** Speed over the last few seconds of samples [time ms, bytes], and the time left at that speed. */
export class Rate {
  constructor(windowMs = 4000) {
    this.windowMs = windowMs;
    this.samples = [];
  }

  add(done, total) {
    const now = performance.now();
    this.samples.push([now, done]);
    while (this.samples.length > 2 && now - this.samples[0][0] > this.windowMs) {
      this.samples.shift();
    }
    const [t0, b0] = this.samples[0];
    const perSecond = now > t0 ? ((done - b0) * 1000) / (now - t0) : 0;
    return { perSecond, left: perSecond > 0 ? (total - done) / perSecond : Infinity };
  }
}
