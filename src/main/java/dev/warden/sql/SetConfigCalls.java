package dev.warden.sql;

import java.util.List;

/** Finds {@code set_config('search_path' | 'standard_conforming_strings', 'value', is_local)} calls with constant arguments. */
final class SetConfigCalls {
    private SetConfigCalls() {
    }

    static void apply(List<Token> tokens, SqlSessionState session) {
        for (int i = 0; i + 7 < tokens.size(); i++) {
            if (!tokens.get(i).isWord("set_config") || !tokens.get(i + 1).is(TokenType.LEFT_PAREN)) {
                continue;
            }
            Token name = tokens.get(i + 2);
            Token value = tokens.get(i + 4);
            Token local = tokens.get(i + 6);
            if (!name.is(TokenType.STRING) || !tokens.get(i + 3).is(TokenType.COMMA) || !value.is(TokenType.STRING)
                    || !tokens.get(i + 5).is(TokenType.COMMA) || !tokens.get(i + 7).is(TokenType.RIGHT_PAREN)) {
                continue;
            }
            Boolean isLocal = SqlSessionState.booleanValue(List.of(local));
            if (isLocal == null) {
                continue;
            }
            String setting = name.text().trim().toLowerCase(java.util.Locale.ROOT);
            if (setting.equals("search_path")) {
                session.assign(setting, SqlSessionState.searchPathFromString(value.text()), null, isLocal);
            } else if (setting.equals("standard_conforming_strings")) {
                session.assign(setting, null, SqlSessionState.booleanValue(List.of(new Token(TokenType.IDENTIFIER,
                        value.text(), 0, 0))), isLocal);
            }
        }
    }
}
