// The library and the CLI load the message catalogue, which gives core errors their words
// (`error.message`); tests that import core modules directly load it here.
import '../../src/messages/index.js';
