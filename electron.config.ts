/**
 * electron-builder configuration for the packaged kiosk (`npm run package`).
 * The app ships the built renderer and main process inside app.asar, the
 * packages in `dependencies` (the only ones the main process loads), and the
 * bundled exhibit once, as a plain folder in resources/ so the kiosk can watch
 * it and copy it into its content store. The fuses lock the binary down: it
 * never runs as plain Node, takes no Node options or inspector flags, and
 * loads only its own, integrity-checked app.asar.
 */
import type { Configuration } from 'electron-builder';

const config: Configuration = {
  appId: 'org.vitrine.kiosk',
  productName: 'Vitrine',
  copyright: 'Vitrine contributors, MIT licence',
  directories: { output: 'release', buildResources: 'assets/icons' },
  // The renderer's own assets (map, sounds, fonts) are bundled into dist/renderer by Vite. node_modules is
  // not listed: electron-builder adds the production dependency tree, so devDependencies never ship.
  files: ['package.json', 'dist/**', '!dist/**/*.map'],
  // The default exhibit as a real folder: file watching and copying cannot read inside an asar.
  // The appliance files (systemd user unit, autostart entry, Windows logon task) go beside it, so an
  // installed kiosk carries what docs/deploy.md tells a technician to enable.
  extraResources: [
    { from: 'assets/exhibit', to: 'exhibit', filter: ['**/*'] },
    { from: 'assets/deploy', to: 'deploy', filter: ['**/*'] },
  ],
  asar: true,
  electronFuses: {
    // ELECTRON_RUN_AS_NODE would turn the signed kiosk binary into a general-purpose Node.
    runAsNode: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableNodeCliInspectArguments: false,
    // The kiosk is served on app://; file:// gets no more than an ordinary web page.
    grantFileProtocolExtraPrivileges: false,
    onlyLoadAppFromAsar: true,
    enableEmbeddedAsarIntegrityValidation: true,
    enableCookieEncryption: true,
  },
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
  deb: {
    depends: ['libnss3', 'libgtk-3-0', 'libxss1', 'libasound2'],
    // Installed where systemd looks for user units, so `systemctl --user enable vitrine` is the whole step.
    fpm: ['assets/deploy/vitrine.service=/usr/lib/systemd/user/vitrine.service'],
  },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, perMachine: true, allowToChangeInstallationDirectory: true },
  mac: { target: ['dmg'], category: 'public.app-category.education', hardenedRuntime: true },
  dmg: { title: 'Vitrine' },
  publish: null,
};

export default config;
