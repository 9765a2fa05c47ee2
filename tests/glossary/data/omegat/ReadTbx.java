// Prints the glossary entries OmegaT 3.6 makes of a TBX file (Indonesian to
// English project), with OmegaT's own GlossaryReaderTBX. Used by
// tests/glossary/test_formats.py where OmegaT is installed (Debian: omegat).
import java.io.File;
import org.omegat.core.Core;
import org.omegat.core.data.NotLoadedProject;
import org.omegat.core.data.ProjectProperties;
import org.omegat.gui.glossary.GlossaryEntry;
import org.omegat.gui.glossary.GlossaryReaderTBX;
import org.omegat.util.Language;

public class ReadTbx {
    public static void main(String[] args) throws Exception {
        Core.setProject(new NotLoadedProject() {
            @Override
            public ProjectProperties getProjectProperties() {
                try {
                    return new ProjectProperties(new File("stub")) {
                        @Override
                        public Language getSourceLanguage() { return new Language("id"); }
                        @Override
                        public Language getTargetLanguage() { return new Language("en"); }
                    };
                } catch (Exception ex) {
                    throw new RuntimeException(ex);
                }
            }
        });
        for (GlossaryEntry e : GlossaryReaderTBX.read(new File(args[0]), false)) {
            System.out.println(e.getSrcText() + " = " + e.getLocText() + "   [comment: "
                + e.getCommentText().replace("\n", " | ") + "]");
        }
    }
}
