"""The native shell: embedded database, server thread, window and file dialogs."""
