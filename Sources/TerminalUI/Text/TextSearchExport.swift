// The toolkit's filters (TextFilterIndex, TextFolding) live in TextSearch, shared with the app's
// view models; importing TerminalUI brings them along.
@_exported import TextSearch
