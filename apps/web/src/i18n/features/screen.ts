/** The screen feature's words (see call-features/screen.ts). Keys start with `screen.`. */
import type { FragmentOf } from '../fragment.js';

export const screenEn = {
  'screen.share': 'Share your screen',
  'screen.stop': 'Stop sharing your screen',
  'screen.starting': 'Choosing a screen…',
  'screen.unavailable': 'Screen sharing is not available in this browser',
  'screen.noMedia': 'Screen sharing needs the call to have started with camera or microphone access',
  'screen.yours': 'Your screen',
  'screen.ofPeer': "{name}'s screen",
  'screen.badge': 'Sharing',
  'screen.badgeTitle': 'Sharing a screen',
  'screen.startedWithSound': 'You are sharing your screen and its sound.',
  'screen.startedSilent': 'You are sharing your screen (without sound).',
  'screen.error.denied': 'Screen sharing was not allowed.',
  'screen.error.unsupported': 'This browser cannot share a screen.',
  'screen.error.failed': 'Could not share your screen: {problem}',
} as const;

export const screenZh: FragmentOf<typeof screenEn> = {
  'screen.share': '共享屏幕',
  'screen.stop': '停止共享屏幕',
  'screen.starting': '正在选择屏幕…',
  'screen.unavailable': '此浏览器不支持屏幕共享',
  'screen.noMedia': '需要在允许使用摄像头或麦克风后才能共享屏幕',
  'screen.yours': '你的屏幕',
  'screen.ofPeer': '{name} 的屏幕',
  'screen.badge': '共享中',
  'screen.badgeTitle': '正在共享屏幕',
  'screen.startedWithSound': '你正在共享屏幕及其声音。',
  'screen.startedSilent': '你正在共享屏幕（不含声音）。',
  'screen.error.denied': '未获准共享屏幕。',
  'screen.error.unsupported': '此浏览器无法共享屏幕。',
  'screen.error.failed': '无法共享屏幕：{problem}',
};
