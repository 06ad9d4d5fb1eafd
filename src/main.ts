/** The renderer's entry: fonts, global styles, touch hygiene and the app. */
import '@fontsource/pt-serif/400.css';
import '@fontsource/pt-serif/700.css';
import '@fontsource/pt-serif/400-italic.css';
import '@fontsource/pt-sans/400.css';
import '@fontsource/pt-sans/700.css';
import './styles/tokens.css';
import './styles/global.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { installErrorReporting } from './lib/api';
import { installTouchHygiene } from './lib/pointer';
import { afterNextFrame } from './lib/next-frame';
import { installRenderModeAfterNextFrame } from './lib/render-mode';
import { FIRST_SCREEN_SHELL_CLASS } from '../main/contract/exhibit.js';

installErrorReporting();
installTouchHygiene();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

// The attract screen's masthead the host wrote into the page stands in until the app draws its own:
// it goes in the same task as the mount, so the frame that first shows the app no longer shows it.
const shell = target.querySelector(`:scope > .${FIRST_SCREEN_SHELL_CLASS}`);

/** Mounts the app in place of the host's masthead, then decides how the attract picture moves. */
function start(into: HTMLElement): void {
  mount(App, { target: into });
  shell?.remove();
  // Once the app's first screen is shown, which need not wait for it; the attract motion starts when
  // it is known.
  installRenderModeAfterNextFrame();
}

// Mounting builds the whole first screen in one task, which on a slow PC takes longer than a frame:
// when this script is ready before the page's first frame, the mount would run first and hold back
// the masthead the host wrote. So a frame is let through with the masthead in it first (a page that
// has painted already waits one frame for it). A PC whose first frame takes longer than a second
// shows the app first, as if there were no masthead. Not a top-level await: the bundler would split
// the entry into many chunks.
if (shell) afterNextFrame(() => start(target));
else start(target);
