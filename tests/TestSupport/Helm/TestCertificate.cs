using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace GitOps.TestSupport.Helm;

/// <summary>A self-signed certificate for 127.0.0.1 and localhost, valid two days: it is its own CA.</summary>
internal static class TestCertificate
{
    public static void Write(string certificatePem, string keyPem)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(2));
        File.WriteAllText(certificatePem, certificate.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPem, key.ExportPkcs8PrivateKeyPem() + "\n");
    }
}
