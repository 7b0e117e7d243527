// searchkit's bridge to Stanford CoreNLP's CRF named-entity tagger (see docs/entities.md).
// Run with the source launcher: java -cp stanford-corenlp.jar SearchkitNer.java MODEL
// It prints "ready" once the model is loaded, then reads one document per line on stdin and
// answers each with one line: LABEL START END triples, tab-separated, offsets in code points.
// MIT, like searchkit; CoreNLP itself is GPL-3.0-or-later and is fetched, never shipped.
import edu.stanford.nlp.ie.crf.CRFClassifier;
import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.util.Triple;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

public class SearchkitNer {
  public static void main(String[] args) throws Exception {
    CRFClassifier<CoreLabel> crf = CRFClassifier.getClassifier(args[0]);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, "UTF-8");
    out.println("ready");
    out.flush();
    String line;
    while ((line = in.readLine()) != null) {
      StringBuilder answer = new StringBuilder();
      for (Triple<String, Integer, Integer> span : crf.classifyToCharacterOffsets(line)) {
        int start = line.codePointCount(0, span.second());
        int end = start + line.codePointCount(span.second(), span.third());
        answer.append(span.first()).append(' ').append(start).append(' ').append(end).append('\t');
      }
      out.println(answer);
      out.flush();
    }
  }
}
