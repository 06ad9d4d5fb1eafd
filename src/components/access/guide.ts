/** The audio guide's parts of the access dock, loaded together once a visitor turns the guide on. */
export { default as GuideText } from './GuideText.svelte';
export { default as ReadAloud } from './ReadAloud.svelte';
