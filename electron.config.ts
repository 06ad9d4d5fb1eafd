/**
 * electron-builder configuration for the packaged kiosk (`npm run package`).
 * The app ships the built renderer and main process, the bundled exhibit (also
 * as a plain folder in resources/, so the content CLI can copy it and the
 * kiosk can watch it), and the content CLI (issue 4), run with the app's own
 * Node: `ELECTRON_RUN_AS_NODE=1 <Vitrine> <resources>/app.asar/dist/main/cli/content.js`.
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'org.vitrine.kiosk',
  productName: 'Vitrine',
  copyright: 'Vitrine contributors, MIT licence',
  directories: { output: 'release', buildResources: 'assets/icons' },
  files: [
    'package.json',
    'dist/**',
    'assets/**',
    '!dist/**/*.map',
    // Bundled into dist/renderer by Vite (or used only by build tools): not needed again at run time.
    '!node_modules/{@fontsource,howler,d3-geo,topojson-client,world-atlas}/**',
  ],
  // The default exhibit as a real folder: file watching and the content CLI's `init` cannot read inside an asar.
  extraResources: [{ from: 'assets/exhibit', to: 'exhibit', filter: ['**/*'] }],
  asar: true,
  // Native code cannot be loaded from inside an asar.
  asarUnpack: ['node_modules/sharp/**', 'node_modules/@img/**'],
  // Chromium UI locales to keep (the exhibit's own strings are in the renderer).
  electronLanguages: ['en-US', 'ru'],
  linux: {
    target: ['AppImage', 'deb'],
    category: 'Education',
    executableName: 'vitrine',
    synopsis: 'Offline fullscreen touch kiosk for museum exhibits',
  },
  deb: { depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2'] },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.education', hardenedRuntime: true },
  dmg: { title: 'Vitrine' },
  publish: null,
};

export default config;
