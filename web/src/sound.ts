/** Two-tone alarm through WebAudio: no audio file, no autoplay surprises (silent until a gesture unless kiosk flags allow). */
let ctx: AudioContext | undefined;
let enabled = localStorage.getItem('pantau.sound') !== 'off';

export const soundEnabled = () => enabled;
export function setSound(on: boolean): void {
  enabled = on;
  localStorage.setItem('pantau.sound', on ? 'on' : 'off');
  if (on) ctx?.resume().catch(() => undefined);
}

export function alarm(): void {
  if (!enabled) return;
  try {
    ctx ??= new AudioContext();
    const now = ctx.currentTime;
    [880, 660, 880].forEach((f, i) => {
      const o = ctx!.createOscillator();
      const g = ctx!.createGain();
      o.frequency.value = f;
      o.type = 'square';
      g.gain.setValueAtTime(0.0001, now + i * 0.22);
      g.gain.exponentialRampToValueAtTime(0.15, now + i * 0.22 + 0.02);
      g.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.22 + 0.2);
      o.connect(g).connect(ctx!.destination);
      o.start(now + i * 0.22);
      o.stop(now + i * 0.22 + 0.21);
    });
  } catch {
    /* no audio device: the blink still shows */
  }
}
