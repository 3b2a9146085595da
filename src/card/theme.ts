/**
 * The card's colours: an opaque deep-navy card with a light frame, so it stands apart from a
 * white (light theme) and a near-black (dark theme) chat background alike; green/red pass
 * contrast on the navy.
 */
export const THEME = {
  background: '#0E1627',
  panel: '#162136',
  frame: '#3A4A68',
  border: '#2B3A56',
  text: '#F4F7FB',
  muted: '#93A3BD',
  faint: '#64748B',
  accent: '#F7B23B',
  up: '#2FD17B',
  down: '#FF5C72',
  fear: {
    extremeFear: '#E5484D',
    fear: '#F2883A',
    neutral: '#E8C547',
    greed: '#8BD25A',
    extremeGreed: '#2FB96F',
  },
} as const;

/** The card's size in pixels (Telegram and Discord show 16:9 without cropping). */
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 675;
