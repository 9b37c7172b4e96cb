// Prints each certificate subject as Java renders it, one certificate a line, tab-separated:
//   SHA-256 of the certificate DER (hex), the subject's DER (hex),
//   X500Principal.getName(RFC1779), getName() (RFC 2253), getName(CANONICAL).
// getName(RFC1779) is also what X509Certificate.getSubjectDN().toString() gives for
// common names, and what many Java servers store. Used by generate.sh.
import java.io.FileInputStream;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import javax.security.auth.x500.X500Principal;

public class JavaNames {
    public static void main(String[] args) throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        HexFormat hex = HexFormat.of();
        for (String path : args) {
            try (FileInputStream in = new FileInputStream(path)) {
                for (Certificate c : cf.generateCertificates(in)) {
                    X509Certificate x = (X509Certificate) c;
                    X500Principal p = x.getSubjectX500Principal();
                    String[] fields = {
                        hex.formatHex(MessageDigest.getInstance("SHA-256").digest(x.getEncoded())),
                        hex.formatHex(p.getEncoded()),
                        p.getName(X500Principal.RFC1779),
                        p.getName(X500Principal.RFC2253),
                        p.getName(X500Principal.CANONICAL),
                    };
                    for (String f : fields) {
                        // The output is one line of tab-separated fields per certificate.
                        if (f.indexOf('\t') >= 0 || f.indexOf('\n') >= 0 || f.indexOf('\r') >= 0) {
                            throw new IllegalStateException(path + ": a rendering holds a tab or a line break: " + f);
                        }
                    }
                    System.out.println(String.join("\t", fields));
                }
            }
        }
    }
}
