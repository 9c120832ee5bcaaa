// EpubcheckEach - checks each book named on the command line with
// epubcheck, all in one Java VM.  Starting the VM and loading epubcheck's
// schemas takes seconds; checking a small book after that takes a fraction
// of one, so a test program checks all its books with one run of this.
//
// epubcheck 4.2 checks one book per command line; this calls its command
// line tool once per book.  Everything goes to standard output, so that
// each book's messages stay between its own markers:
//
//   @@@ BOOK <path>
//   ...what epubcheck says about the book...
//   @@@ STATUS <epubcheck's exit status>
//
// epubcheck is found by reflection, so this compiles without its jar;
// run it with the jar on the class path.
import java.lang.reflect.Method;

public final class EpubcheckEach {
  public static void main(String[] args) throws Exception {
    System.setErr(System.out);
    Class<?> tool = Class.forName("com.adobe.epubcheck.tool.EpubChecker");
    Method run = tool.getMethod("run", String[].class);
    for (String book : args) {
      System.out.println("@@@ BOOK " + book);
      int status;
      try {
        Object checker = tool.getDeclaredConstructor().newInstance();
        status = (Integer) run.invoke(checker, (Object) new String[] {book});
      } catch (Exception e) {
        // One book that breaks epubcheck must not hide the others.
        e.printStackTrace(System.out);
        status = -1;
      }
      System.out.println("@@@ STATUS " + status);
      System.out.flush();
    }
  }
}
