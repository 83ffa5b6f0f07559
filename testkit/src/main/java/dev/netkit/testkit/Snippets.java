package dev.netkit.testkit;

import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles the Java examples of netkit's documentation, so that a README or package example that no longer
 * compiles fails the build instead of misleading a reader.
 *
 * <p>Where examples are found: every fenced block tagged {@code java} in a Markdown file, and every
 * {@code <pre>{@code ...}</pre>} or <code>{&#64;snippet : ...}</code> block in a {@code package-info.java}.
 *
 * <p>How one is compiled: its {@code import} lines stay at the top. If what follows them declares a type
 * ({@code class}, {@code record}, {@code interface}, {@code enum}, possibly with modifiers or annotations),
 * the example is compiled as it stands; otherwise it is taken as statements and compiled as the body of a
 * method that may throw anything. Either way it must declare everything it uses: nothing is added but the
 * wrapper. Each example is compiled on its own against the test's class and module path.
 */
public final class Snippets {
    private static final Pattern FENCE = Pattern.compile("(?m)^```java[ \\t]*\\n(.*?)^```[ \\t]*$", Pattern.DOTALL);
    private static final Pattern TYPE_START = Pattern.compile(
            "^(?:@\\w+(?:\\([^)]*\\))?\\s+)*(?:(?:public|final|abstract|sealed|static|strictfp)\\s+)*"
                    + "(?:class|record|interface|enum|@interface)\\s");

    private Snippets() {
    }

    /** One example: where it is and its text. */
    public record Snippet(String where, String code) {
    }

    /**
     * The {@code java} blocks of a Markdown file.
     *
     * @param markdown the file
     * @return its examples, each named {@code file:line}
     */
    public static List<Snippet> fromMarkdown(Path markdown) {
        String text = read(markdown);
        List<Snippet> out = new ArrayList<>();
        Matcher m = FENCE.matcher(text);
        while (m.find()) {
            out.add(new Snippet(markdown + ":" + lineOf(text, m.start()), m.group(1)));
        }
        return out;
    }

    /**
     * The {@code <pre>{@code ...}</pre>} and {@code {@snippet : ...}} blocks of every {@code package-info.java}
     * under a source root.
     *
     * @param sourceRoot e.g. {@code src/main/java}
     * @return their examples, each named {@code file:line}
     */
    public static List<Snippet> fromPackageInfos(Path sourceRoot) {
        List<Snippet> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            for (Path p : files.filter(f -> f.getFileName().toString().equals("package-info.java")).sorted().toList()) {
                out.addAll(fromJavadoc(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Snippet> fromJavadoc(Path file) {
        String text = read(file);
        List<Snippet> out = new ArrayList<>();
        for (String opener : new String[] {"<pre>{@code", "{@snippet :"}) {
            int from = 0;
            int at;
            while ((at = text.indexOf(opener, from)) >= 0) {
                int bodyStart = at + opener.length();
                int end = closingBrace(text, at + 1);
                if (end < 0) {
                    throw new AssertionError(file + ":" + lineOf(text, at) + ": example is not closed");
                }
                out.add(new Snippet(file + ":" + lineOf(text, at), uncomment(text.substring(bodyStart, end))));
                from = end;
            }
        }
        return out;
    }

    /**
     * Compiles every example and fails, naming each broken one and javac's messages, unless all compile.
     *
     * @param snippets the examples
     * @throws AssertionError if any does not compile, or if there are none (a check that checks nothing)
     */
    public static void assertCompile(List<Snippet> snippets) {
        if (snippets.isEmpty()) {
            throw new AssertionError("no examples found: nothing was checked");
        }
        StringBuilder failures = new StringBuilder();
        for (Snippet s : snippets) {
            String errors = compile(s);
            if (!errors.isEmpty()) {
                failures.append("\n--- ").append(s.where()).append(" does not compile:\n").append(errors)
                        .append("--- source as compiled:\n").append(source(s.code()));
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.toString());
        }
    }

    /**
     * Compiles one example.
     *
     * @param s the example
     * @return javac's error messages, empty if it compiled
     */
    public static String compile(Snippet s) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new AssertionError("no system Java compiler: run the tests on a JDK");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter out = new StringWriter();
        Path classes;
        try {
            classes = Files.createTempDirectory("netkit-snippet");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, null)) {
            List<String> options = List.of("-proc:none", "-d", classes.toString(), "-classpath", searchPath());
            JavaFileObject unit = new SimpleJavaFileObject(URI.create("string:///Snippet.java"), JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return source(s.code());
                }
            };
            javac.getTask(out, files, diagnostics, options, null, List.of(unit)).call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteTree(classes);
        }
        StringBuilder errors = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                errors.append("  line ").append(d.getLineNumber()).append(": ").append(d.getMessage(null)).append('\n');
            }
        }
        return errors.toString();
    }

    /** The compilation unit an example becomes (see the class comment). */
    static String source(String code) {
        StringBuilder imports = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        boolean head = true;
        for (String line : code.split("\n", -1)) {
            String t = line.strip();
            if (head && (t.startsWith("import ") || t.isEmpty() || t.startsWith("//"))) {
                imports.append(line).append('\n');
            } else {
                head = false;
                rest.append(line).append('\n');
            }
        }
        String body = rest.toString();
        if (TYPE_START.matcher(body.strip()).find()) {
            return imports + body;
        }
        return imports + "class Snippet {\n    void run() throws Throwable {\n" + body + "    }\n}\n";
    }

    private static String searchPath() {
        Set<String> entries = new LinkedHashSet<>();
        for (String prop : new String[] {"java.class.path", "jdk.module.path"}) {
            String v = System.getProperty(prop);
            if (v != null) {
                for (String e : v.split(File.pathSeparator)) {
                    if (!e.isBlank()) {
                        entries.add(e);
                    }
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    /** Removes the example's class files: only whether it compiles is kept. */
    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int closingBrace(String text, int openBrace) {
        int depth = 0;
        for (int i = openBrace - 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String uncomment(String javadoc) {
        StringBuilder out = new StringBuilder();
        for (String line : javadoc.split("\n", -1)) {
            out.append(line.replaceFirst("^\\s*\\*( |$)", "")).append('\n');
        }
        return out.toString().replace("&#64;", "@").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
