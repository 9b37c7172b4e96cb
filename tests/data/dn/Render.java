// Prints a certificate subject as Java's X500Principal renders it: getName() (RFC 2253)
// and getName("CANONICAL"), one per line. Used by make.sh.
import java.io.FileInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.security.auth.x500.X500Principal;

public class Render {
    public static void main(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        try (FileInputStream in = new FileInputStream(args[0])) {
            X509Certificate c = (X509Certificate) cf.generateCertificate(in);
            X500Principal p = c.getSubjectX500Principal();
            System.out.println(p.getName());
            System.out.println(p.getName("CANONICAL"));
        }
    }
}
