import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The build's guard against tests that never run: after {@code mvnw verify}, every concrete class
 * with tests compiled into a module's {@code target/test-classes} must have run, i.e. appear in
 * that module's {@code target/surefire-reports/TEST-*.xml}. Fails naming each one that did not.
 *
 * <p>A class has tests when it, a superclass or an interface it implements (compiled in the same
 * module) declares a method or field annotated with a JUnit Jupiter, jqwik or ArchUnit test
 * annotation, or with an annotation of the module's own that carries one. Not flagged: abstract
 * classes and interfaces; {@code @Nested} (JUnit) and {@code @Group} (jqwik) member classes, which
 * run through their top-level class (checked in their place: it counts as having their tests);
 * classes left out on purpose by a tag listed in the module's Surefire {@code
 * excludedGroups} (read from the module's and the root's pom.xml; {@code ${property}} resolved from
 * {@code -Dproperty=value} arguments, then the poms' properties). A member class with tests but
 * without {@code @Nested}/{@code @Group} never runs, and is flagged.
 *
 * <p>Run by {@code ./run-tests}; tested by {@code scripts/test-check-tests-ran}. Plain JDK 21, run
 * as a source file: {@code java scripts/CheckTestsRan.java [options] [-- maven arguments]}.
 *
 * <pre>
 * --root DIR      the reactor's root (default: the working directory); modules: its pom's modules
 * --module DIR    check this module directory only (repeatable; instead of the root's modules)
 * --since FILE    only reports written after FILE count; a module with none is "not tested in
 *                 this run" and is skipped, unless it is required (below)
 * -- ARGS         the Maven arguments of the run: -Dk=v resolves ${k}; -pl/--projects names the
 *                 required modules (default: all); -Dtest, -DskipTests and the like skip the check
 * </pre>
 */
public final class CheckTestsRan {
  private static final Set<String> TEST_ANNOTATIONS =
      Set.of(
          "org.junit.jupiter.api.Test",
          "org.junit.jupiter.api.RepeatedTest",
          "org.junit.jupiter.api.TestFactory",
          "org.junit.jupiter.api.TestTemplate",
          "org.junit.jupiter.params.ParameterizedTest",
          "net.jqwik.api.Property",
          "net.jqwik.api.Example",
          "com.tngtech.archunit.junit.ArchTest");
  private static final Set<String> NESTED_ANNOTATIONS =
      Set.of("org.junit.jupiter.api.Nested", "net.jqwik.api.Group");
  private static final Set<String> TAG_ANNOTATIONS =
      Set.of("org.junit.jupiter.api.Tag", "net.jqwik.api.Tag");
  private static final Set<String> TAGS_CONTAINERS =
      Set.of("org.junit.jupiter.api.Tags", "net.jqwik.api.Tags");
  private static final Pattern SELECTING_ARGUMENT =
      Pattern.compile(
          "-D(test|it\\.test|skipTests|maven\\.test\\.skip|groups|excludedGroups"
              + "|surefire\\.(includesFile|excludesFile|skipAfterFailureCount))(=.*)?");
  private static final Pattern TAG_SEPARATORS = Pattern.compile("[\\s,|&()!]+");

  private CheckTestsRan() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    if (options.selectingArgument != null) {
      System.out.println(
          "check-tests-ran: not checked, the run selects or skips tests ("
              + options.selectingArgument
              + ")");
      return;
    }
    List<Path> modules = options.modules.isEmpty() ? reactorModules(options.root) : options.modules;
    List<String> problems = new ArrayList<>();
    int checkedModules = 0;
    int checkedClasses = 0;
    for (Path module : modules) {
      ModuleResult result = checkModule(module, options);
      problems.addAll(result.problems());
      if (result.checked()) {
        checkedModules++;
        checkedClasses += result.testClasses();
      }
    }
    if (!options.skipped.isEmpty()) {
      System.out.println(
          "check-tests-ran: not tested in this run, not checked: "
              + String.join(", ", options.skipped));
    }
    if (!problems.isEmpty()) {
      System.err.println();
      System.err.println(
          "check-tests-ran: FAILED: "
              + problems.size()
              + " test class(es) compiled but never run by Surefire:");
      problems.forEach(problem -> System.err.println("  " + problem));
      System.err.println(
          "Every class with tests must run (root pom: Surefire includes **/*.java). Make it a"
              + " top-level class, or a @Nested/@Group member of one; a class left out on purpose"
              + " carries a @Tag listed in its module's Surefire excludedGroups.");
      System.exit(1);
    }
    System.out.println(
        "check-tests-ran: every one of "
            + checkedClasses
            + " test classes in "
            + checkedModules
            + " module(s) ran or is excluded by tag");
  }

  private record ModuleResult(boolean checked, int testClasses, List<String> problems) {}

  private static ModuleResult checkModule(Path module, Options options) throws Exception {
    String name = module.getFileName().toString();
    Path classesDir = module.resolve("target/test-classes");
    if (!Files.isDirectory(classesDir)) {
      return new ModuleResult(false, 0, List.of());
    }
    Map<String, ClassInfo> classes = readClasses(classesDir);
    Set<String> testAnnotations = testAnnotations(classes);
    Set<String> excludedTags = excludedTags(module, options);
    List<String> testClasses =
        classes.values().stream()
            .filter(c -> c.isConcrete() && hasTests(c, classes, testAnnotations))
            .map(ClassInfo::name)
            .sorted()
            .toList();
    if (testClasses.isEmpty()) {
      return new ModuleResult(false, 0, List.of());
    }
    Reports reports = readReports(module.resolve("target/surefire-reports"), options.since);
    boolean required = options.isRequired(name);
    if (!reports.fresh() && !required) {
      options.skipped.add(name);
      return new ModuleResult(false, 0, List.of());
    }
    List<String> problems = new ArrayList<>();
    for (String className : testClasses) {
      ClassInfo info = classes.get(className);
      if (reports.ran().contains(className)
          || isExcluded(info, classes, testAnnotations, excludedTags)) {
        continue;
      }
      boolean member = info.outer() != null;
      if (member && isRunThroughOuter(info, classes)) {
        continue; // runs with its top-level class, which has tests, so is checked itself
      }
      problems.add(
          name
              + ": "
              + className
              + (member
                  ? " — a member class with tests but without @Nested/@Group: nothing runs it"
                  : " — no target/surefire-reports/TEST-" + className + ".xml"));
    }
    return new ModuleResult(true, testClasses.size(), problems);
  }

  /** {@code @Nested}/{@code @Group} on a member class and on every member class around it. */
  private static boolean isRunThroughOuter(ClassInfo info, Map<String, ClassInfo> classes) {
    ClassInfo current = info;
    while (current != null && current.outer() != null) {
      if (current.annotations().keySet().stream().noneMatch(NESTED_ANNOTATIONS::contains)) {
        return false;
      }
      current = classes.get(current.outer());
    }
    return true;
  }

  // ---- which classes have tests

  /** The test annotations, and the module's own annotations that carry one (composed ones). */
  private static Set<String> testAnnotations(Map<String, ClassInfo> classes) {
    Set<String> annotations = new HashSet<>(TEST_ANNOTATIONS);
    boolean grew = true;
    while (grew) {
      grew = false;
      for (ClassInfo info : classes.values()) {
        if (info.isAnnotation()
            && !annotations.contains(info.name())
            && info.annotations().keySet().stream().anyMatch(annotations::contains)) {
          annotations.add(info.name());
          grew = true;
        }
      }
    }
    return annotations;
  }

  private static boolean hasTests(
      ClassInfo info, Map<String, ClassInfo> classes, Set<String> testAnnotations) {
    if (!testMembers(info, classes, testAnnotations).isEmpty()) {
      return true;
    }
    // a top-level class whose tests are all in @Nested members runs them
    return classes.values().stream()
        .anyMatch(
            nested ->
                info.name().equals(nested.outer())
                    && isRunThroughOuter(nested, classes)
                    && !nested.isAbstract()
                    && hasTests(nested, classes, testAnnotations));
  }

  /** The tags of each test method or field of the class and its supertypes in this module. */
  private static List<Set<String>> testMembers(
      ClassInfo info, Map<String, ClassInfo> classes, Set<String> testAnnotations) {
    List<Set<String>> members = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<String> pending = new ArrayList<>(List.of(info.name()));
    while (!pending.isEmpty()) {
      ClassInfo current = classes.get(pending.remove(pending.size() - 1));
      if (current == null || !seen.add(current.name())) {
        continue;
      }
      for (Map<String, List<String>> annotations : current.memberAnnotations()) {
        if (annotations.keySet().stream().anyMatch(testAnnotations::contains)) {
          members.add(tags(annotations));
        }
      }
      if (current.superName() != null) {
        pending.add(current.superName());
      }
      pending.addAll(current.interfaces());
    }
    return members;
  }

  /**
   * Excluded by tag: the class (or a superclass, or a class around it) carries an excluded tag, or
   * every test method does.
   */
  private static boolean isExcluded(
      ClassInfo info,
      Map<String, ClassInfo> classes,
      Set<String> testAnnotations,
      Set<String> excludedTags) {
    if (excludedTags.isEmpty()) {
      return false;
    }
    for (ClassInfo around = info; around != null; around = lookup(classes, around.outer())) {
      for (ClassInfo type = around; type != null; type = lookup(classes, type.superName())) {
        if (tags(type.annotations()).stream().anyMatch(excludedTags::contains)) {
          return true;
        }
      }
    }
    List<Set<String>> members = testMembers(info, classes, testAnnotations);
    return !members.isEmpty()
        && members.stream().allMatch(tags -> tags.stream().anyMatch(excludedTags::contains));
  }

  private static ClassInfo lookup(Map<String, ClassInfo> classes, String name) {
    return name == null ? null : classes.get(name);
  }

  private static Set<String> tags(Map<String, List<String>> annotations) {
    Set<String> tags = new HashSet<>();
    annotations.forEach(
        (type, values) -> {
          if (TAG_ANNOTATIONS.contains(type) || TAGS_CONTAINERS.contains(type)) {
            tags.addAll(values);
          }
        });
    return tags;
  }

  // ---- excluded groups from the poms

  private static Set<String> excludedTags(Path module, Options options) throws Exception {
    Map<String, String> properties = new HashMap<>();
    String excluded = null;
    Path root = options.root.toAbsolutePath().normalize();
    List<Path> poms = new ArrayList<>();
    poms.add(module.resolve("pom.xml"));
    if (!module.toAbsolutePath().normalize().equals(root)) {
      poms.add(root.resolve("pom.xml"));
    }
    for (Path pom : poms) {
      if (!Files.isRegularFile(pom)) {
        continue;
      }
      Document document = parse(pom);
      Element project = document.getDocumentElement();
      Element props = child(project, "properties");
      if (props != null) {
        for (Element property : children(props)) {
          properties.putIfAbsent(property.getTagName(), property.getTextContent().trim());
        }
      }
      if (excluded == null) {
        excluded = surefireExcludedGroups(project);
      }
    }
    if (excluded == null) {
      return Set.of();
    }
    for (int i = 0; i < 10 && excluded.contains("${"); i++) {
      excluded = resolve(excluded, options.defines, properties);
    }
    Set<String> tags = new HashSet<>();
    for (String tag : TAG_SEPARATORS.split(excluded)) {
      if (!tag.isBlank()) {
        tags.add(tag);
      }
    }
    return tags;
  }

  private static String surefireExcludedGroups(Element project) {
    Element build = child(project, "build");
    if (build == null) {
      return null;
    }
    List<Element> plugins = new ArrayList<>();
    Element direct = child(build, "plugins");
    if (direct != null) {
      plugins.addAll(children(direct));
    }
    Element management = child(build, "pluginManagement");
    if (management != null && child(management, "plugins") != null) {
      plugins.addAll(children(child(management, "plugins")));
    }
    for (Element plugin : plugins) {
      Element artifact = child(plugin, "artifactId");
      Element configuration = child(plugin, "configuration");
      if (artifact != null
          && artifact.getTextContent().trim().equals("maven-surefire-plugin")
          && configuration != null
          && child(configuration, "excludedGroups") != null) {
        return child(configuration, "excludedGroups").getTextContent().trim();
      }
    }
    return null;
  }

  private static String resolve(
      String value, Map<String, String> defines, Map<String, String> properties) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int start = value.indexOf("${", at);
      int end = start < 0 ? -1 : value.indexOf('}', start);
      if (end < 0) {
        return out.append(value.substring(at)).toString();
      }
      String key = value.substring(start + 2, end);
      String replacement = defines.getOrDefault(key, properties.getOrDefault(key, ""));
      out.append(value, at, start).append(replacement);
      at = end + 1;
    }
  }

  private static List<Path> reactorModules(Path root) throws Exception {
    Element modules = child(parse(root.resolve("pom.xml")).getDocumentElement(), "modules");
    List<Path> paths = new ArrayList<>();
    if (modules != null) {
      for (Element module : children(modules)) {
        paths.add(root.resolve(module.getTextContent().trim()));
      }
    }
    return paths;
  }

  // ---- Surefire reports

  private record Reports(Set<String> ran, boolean fresh) {}

  private static Reports readReports(Path dir, FileTime since) throws Exception {
    Set<String> ran = new HashSet<>();
    boolean fresh = false;
    if (!Files.isDirectory(dir)) {
      return new Reports(ran, false);
    }
    List<Path> files;
    try (Stream<Path> listing = Files.list(dir)) {
      files =
          listing
              .filter(p -> p.getFileName().toString().matches("TEST-.*\\.xml"))
              .sorted()
              .toList();
    }
    for (Path file : files) {
      if (since != null && Files.getLastModifiedTime(file).compareTo(since) < 0) {
        continue;
      }
      fresh = true;
      String fileName = file.getFileName().toString();
      ran.add(fileName.substring("TEST-".length(), fileName.length() - ".xml".length()));
      Element suite = parse(file).getDocumentElement();
      if (!suite.getAttribute("name").isEmpty()) {
        ran.add(suite.getAttribute("name"));
      }
      NodeList cases = suite.getElementsByTagName("testcase");
      for (int i = 0; i < cases.getLength(); i++) {
        String className = ((Element) cases.item(i)).getAttribute("classname");
        if (!className.isEmpty()) {
          ran.add(className);
        }
      }
    }
    return new Reports(ran, fresh);
  }

  // ---- XML helpers

  private static Document parse(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory.newDocumentBuilder().parse(file.toFile());
  }

  private static Element child(Element parent, String name) {
    for (Element element : children(parent)) {
      if (element.getTagName().equals(name)) {
        return element;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent) {
    List<Element> elements = new ArrayList<>();
    NodeList nodes = parent.getChildNodes();
    for (int i = 0; i < nodes.getLength(); i++) {
      if (nodes.item(i).getNodeType() == Node.ELEMENT_NODE) {
        elements.add((Element) nodes.item(i));
      }
    }
    return elements;
  }

  // ---- class files

  /**
   * What the check needs of one class file.
   *
   * @param annotations the class's runtime-visible annotations: type → the string values they
   *     carry (a tag's name)
   * @param memberAnnotations the annotations of each method and field
   * @param outer the class this one is a member of, or null for a top-level (or local) class
   */
  private record ClassInfo(
      String name,
      int access,
      String superName,
      List<String> interfaces,
      String outer,
      Map<String, List<String>> annotations,
      List<Map<String, List<String>>> memberAnnotations) {
    boolean isAbstract() {
      return (access & 0x0400) != 0;
    }

    boolean isAnnotation() {
      return (access & 0x2000) != 0;
    }

    boolean isConcrete() {
      return (access & (0x0400 | 0x0200 | 0x2000)) == 0;
    }
  }

  private static Map<String, ClassInfo> readClasses(Path dir) throws IOException {
    Map<String, ClassInfo> classes = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).toList();
    }
    for (Path file : files) {
      if (file.getFileName().toString().equals("module-info.class")
          || file.getFileName().toString().equals("package-info.class")) {
        continue;
      }
      try (InputStream in = Files.newInputStream(file)) {
        ClassInfo info = ClassFile.read(new DataInputStream(in));
        if (info != null) {
          classes.put(info.name(), info);
        }
      }
    }
    return classes;
  }

  /** A reader of the few parts of the class file format (JVMS §4) the check needs. */
  private static final class ClassFile {
    private final DataInputStream in;
    private Object[] pool;

    private ClassFile(DataInputStream in) {
      this.in = in;
    }

    /** The class, or null for a local or anonymous class. */
    static ClassInfo read(DataInputStream in) throws IOException {
      return new ClassFile(in).read();
    }

    private ClassInfo read() throws IOException {
      if (in.readInt() != 0xCAFEBABE) {
        throw new IOException("not a class file");
      }
      in.readUnsignedShort();
      in.readUnsignedShort();
      readPool();
      int access = in.readUnsignedShort();
      String name = className(in.readUnsignedShort());
      int superIndex = in.readUnsignedShort();
      String superName = superIndex == 0 ? null : className(superIndex);
      List<String> interfaces = new ArrayList<>();
      for (int i = in.readUnsignedShort(); i > 0; i--) {
        interfaces.add(className(in.readUnsignedShort()));
      }
      List<Map<String, List<String>>> members = new ArrayList<>();
      for (int kind = 0; kind < 2; kind++) { // fields, then methods
        for (int i = in.readUnsignedShort(); i > 0; i--) {
          in.readUnsignedShort();
          in.readUnsignedShort();
          in.readUnsignedShort();
          Map<String, List<String>> annotations = new LinkedHashMap<>();
          readAttributes(annotations, null, name);
          members.add(annotations);
        }
      }
      Map<String, List<String>> annotations = new LinkedHashMap<>();
      String[] outer = new String[2]; // outer class; "local" when local or anonymous
      readAttributes(annotations, outer, name);
      if ("local".equals(outer[1])) {
        return null;
      }
      return new ClassInfo(name, access, superName, interfaces, outer[0], annotations, members);
    }

    private void readPool() throws IOException {
      int count = in.readUnsignedShort();
      pool = new Object[count];
      for (int i = 1; i < count; i++) {
        int tag = in.readUnsignedByte();
        switch (tag) {
          case 1 -> pool[i] = in.readUTF();
          case 7, 8, 16, 19, 20 -> pool[i] = new int[] {tag, in.readUnsignedShort()};
          case 3, 4 -> in.readInt();
          case 5, 6 -> {
            in.readLong();
            i++;
          }
          case 9, 10, 11, 12, 17, 18 -> in.readInt();
          case 15 -> {
            in.readUnsignedByte();
            in.readUnsignedShort();
          }
          default -> throw new IOException("unknown constant pool tag " + tag);
        }
      }
    }

    private String utf8(int index) {
      return (String) pool[index];
    }

    private String className(int index) {
      return utf8(((int[]) pool[index])[1]).replace('/', '.');
    }

    /** Reads an attribute table, keeping annotations and (for a class) its InnerClasses entry. */
    private void readAttributes(
        Map<String, List<String>> annotations, String[] outer, String self) throws IOException {
      for (int i = in.readUnsignedShort(); i > 0; i--) {
        String attribute = utf8(in.readUnsignedShort());
        int length = in.readInt();
        if (attribute.equals("RuntimeVisibleAnnotations")) {
          for (int n = in.readUnsignedShort(); n > 0; n--) {
            readAnnotation(annotations);
          }
        } else if (attribute.equals("InnerClasses") && outer != null) {
          for (int n = in.readUnsignedShort(); n > 0; n--) {
            int inner = in.readUnsignedShort();
            int outerIndex = in.readUnsignedShort();
            in.readUnsignedShort();
            in.readUnsignedShort();
            if (className(inner).equals(self)) {
              if (outerIndex == 0) {
                outer[1] = "local";
              } else {
                outer[0] = className(outerIndex);
              }
            }
          }
        } else if (attribute.equals("EnclosingMethod") && outer != null) {
          outer[1] = "local";
          in.skipNBytes(length);
        } else {
          in.skipNBytes(length);
        }
      }
    }

    /** One annotation: its type, and every string value in it (nested annotations included). */
    private void readAnnotation(Map<String, List<String>> into) throws IOException {
      String descriptor = utf8(in.readUnsignedShort());
      String type = descriptor.substring(1, descriptor.length() - 1).replace('/', '.');
      List<String> values = into.computeIfAbsent(type, t -> new ArrayList<>());
      for (int n = in.readUnsignedShort(); n > 0; n--) {
        in.readUnsignedShort();
        readElementValue(values);
      }
    }

    private void readElementValue(List<String> strings) throws IOException {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 's' -> strings.add(utf8(in.readUnsignedShort()));
        case 'B', 'C', 'D', 'F', 'I', 'J', 'S', 'Z', 'c' -> in.readUnsignedShort();
        case 'e' -> in.readInt();
        case '@' -> {
          Map<String, List<String>> nested = new HashMap<>();
          readAnnotation(nested);
          nested.values().forEach(strings::addAll);
        }
        case '[' -> {
          for (int n = in.readUnsignedShort(); n > 0; n--) {
            readElementValue(strings);
          }
        }
        default -> throw new IOException("unknown element value tag " + (char) tag);
      }
    }
  }

  // ---- options

  private static final class Options {
    Path root = Path.of(".");
    final List<Path> modules = new ArrayList<>();
    FileTime since;
    final Map<String, String> defines = new HashMap<>();
    final Set<String> selectedModules = new HashSet<>();
    final Set<String> skippedModules = new HashSet<>();
    boolean resumed;
    final List<String> skipped = new ArrayList<>();
    String selectingArgument;

    static Options parse(String[] args) throws IOException {
      Options options = new Options();
      int i = 0;
      for (; i < args.length && !args[i].equals("--"); i++) {
        switch (args[i]) {
          case "--root" -> options.root = Path.of(args[++i]);
          case "--module" -> options.modules.add(Path.of(args[++i]));
          case "--since" -> options.since = Files.getLastModifiedTime(Path.of(args[++i]));
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      for (i++; i < args.length; i++) {
        String arg = args[i];
        if (SELECTING_ARGUMENT.matcher(arg).matches()) {
          options.selectingArgument = arg;
        } else if (arg.startsWith("-D") && arg.contains("=")) {
          options.defines.put(
              arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        } else if ((arg.equals("-pl") || arg.equals("--projects")) && i + 1 < args.length) {
          for (String project : args[++i].split(",")) {
            String module = project.substring(project.lastIndexOf(':') + 1);
            if (project.startsWith("!") || project.startsWith("-")) {
              options.skippedModules.add(module);
            } else {
              options.selectedModules.add(module);
            }
          }
        } else if (arg.equals("-rf") || arg.equals("--resume-from")) {
          options.resumed = true;
          i++;
        }
      }
      return options;
    }

    boolean isRequired(String module) {
      if (resumed || skippedModules.contains(module)) {
        return false;
      }
      return selectedModules.isEmpty() || selectedModules.contains(module);
    }
  }
}
