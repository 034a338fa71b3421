package dev.halt.core.macos;

import java.util.ArrayList;
import java.util.List;

/**
 * A small reader of SBPL, the S-expression dialect of Seatbelt profiles, strict where halt's
 * profiles must be: balanced parentheses; strings in double quotes with {@code \"} and
 * {@code \\} as the only escapes; raw regular expressions {@code #"..."} (a {@code \"} inside
 * does not end them, other backslash pairs pass through); {@code ;} comments to the end of the
 * line; symbols. A control character anywhere but a line end or a tab is an error, and so is an
 * unterminated string or any other escape.
 */
final class SbplReader {

    /** A form of the text. */
    sealed interface Node permits Symbol, Text, Regex, Form {
    }

    record Symbol(String name) implements Node {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A string literal, unescaped. */
    record Text(String value) implements Node {
        @Override
        public String toString() {
            return SbplProfile.quoted(value);
        }
    }

    record Regex(String pattern) implements Node {
        @Override
        public String toString() {
            return "#\"" + pattern + "\"";
        }
    }

    record Form(List<Node> items) implements Node {
        Form {
            items = List.copyOf(items);
        }

        /** The symbol at the head, or empty. */
        String head() {
            return !items.isEmpty() && items.getFirst() instanceof Symbol s ? s.name() : "";
        }

        List<Node> rest() {
            return items.subList(1, items.size());
        }

        @Override
        public String toString() {
            var sb = new StringBuilder("(");
            for (int i = 0; i < items.size(); i++) sb.append(i == 0 ? "" : " ").append(items.get(i));
            return sb.append(')').toString();
        }
    }

    /** What is wrong with the text, and where. */
    static final class SyntaxError extends RuntimeException {
        SyntaxError(String message, int line) {
            super("line " + line + ": " + message);
        }
    }

    private final String text;
    private int at;
    private int line = 1;

    private SbplReader(String text) {
        this.text = text;
    }

    /** The top-level forms of {@code text}. */
    static List<Form> read(String text) {
        var reader = new SbplReader(text);
        var forms = new ArrayList<Form>();
        while (true) {
            reader.skipBlank();
            if (reader.at >= text.length()) return forms;
            var node = reader.node();
            if (!(node instanceof Form f)) throw new SyntaxError("a top-level " + node + " outside parentheses", reader.line);
            forms.add(f);
        }
    }

    /** The value of one string literal, {@code "..."} with its escapes. */
    static String readString(String literal) {
        var reader = new SbplReader(literal);
        var node = reader.node();
        if (!(node instanceof Text t) || reader.at != literal.length()) throw new SyntaxError("not one string: " + literal, 1);
        return t.value();
    }

    private void skipBlank() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c == '\n') {
                line++;
                at++;
            } else if (c == ' ' || c == '\t') {
                at++;
            } else if (c == ';') {
                while (at < text.length() && text.charAt(at) != '\n') {
                    control(text.charAt(at));
                    at++;
                }
            } else {
                control(c);
                return;
            }
        }
    }

    private void control(char c) {
        if (Character.isISOControl(c) && c != '\t') {
            throw new SyntaxError(String.format("control character U+%04X", (int) c), line);
        }
    }

    private Node node() {
        skipBlank();
        if (at >= text.length()) throw new SyntaxError("unexpected end of text", line);
        char c = text.charAt(at);
        if (c == '(') {
            int start = line;
            at++;
            var items = new ArrayList<Node>();
            while (true) {
                skipBlank();
                if (at >= text.length()) throw new SyntaxError("unbalanced: the parenthesis opened on line " + start + " is never closed", line);
                if (text.charAt(at) == ')') {
                    at++;
                    return new Form(items);
                }
                items.add(node());
            }
        }
        if (c == ')') throw new SyntaxError("unbalanced: ')' closes nothing", line);
        if (c == '"') return new Text(string());
        if (c == '#' && at + 1 < text.length() && text.charAt(at + 1) == '"') {
            at++;
            return new Regex(regex());
        }
        int start = at;
        while (at < text.length() && " \t\n();\"".indexOf(text.charAt(at)) < 0) {
            control(text.charAt(at));
            at++;
        }
        return new Symbol(text.substring(start, at));
    }

    private String string() {
        int start = line;
        at++;
        var sb = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw new SyntaxError("unterminated string opened on line " + start, line);
            char c = text.charAt(at++);
            if (c == '"') return sb.toString();
            if (c == '\\') {
                if (at >= text.length()) throw new SyntaxError("unterminated string opened on line " + start, line);
                char e = text.charAt(at++);
                if (e != '"' && e != '\\') throw new SyntaxError("escape \\" + e + " in a string (only \\\" and \\\\)", line);
                sb.append(e);
                continue;
            }
            if (Character.isISOControl(c)) throw new SyntaxError(String.format("control character U+%04X in a string", (int) c), line);
            sb.append(c);
        }
    }

    private String regex() {
        int start = line;
        at++;
        var sb = new StringBuilder();
        while (true) {
            if (at >= text.length()) throw new SyntaxError("unterminated regex opened on line " + start, line);
            char c = text.charAt(at++);
            if (c == '"') return sb.toString();
            if (Character.isISOControl(c)) throw new SyntaxError(String.format("control character U+%04X in a regex", (int) c), line);
            if (c == '\\' && at < text.length()) {
                sb.append(c).append(text.charAt(at++));
                continue;
            }
            sb.append(c);
        }
    }
}
